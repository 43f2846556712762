/**
 * Reading the employee form from a request: the body, up to a limit, parsed by the
 * platform's own form-data parser (undici's, as in fetch's Response.formData()), which
 * reads both multipart/form-data and application/x-www-form-urlencoded.
 */
import type { IncomingMessage } from 'node:http';
import { BADGES } from './badges.js';

/** Bigger than any sensible portrait; a larger body is refused before it is all read. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
const MAX_TEXT = 200;

export class FormError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface EmployeeForm {
  fullName: string;
  location: string;
  jobTitle: string;
  badges: string[];
  /** The uploaded photo, if one was chosen. */
  photo?: Buffer;
}

export async function readForm(req: IncomingMessage): Promise<FormData> {
  const type = req.headers['content-type'] ?? '';
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type)) {
    throw new FormError('the form must be sent as multipart/form-data or application/x-www-form-urlencoded', 415);
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new FormError(`the form is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`, 413);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new FormError(`the form is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`, 413);
    chunks.push(chunk);
  }
  try {
    return await new Response(Buffer.concat(chunks), { headers: { 'content-type': type } }).formData();
  } catch {
    throw new FormError('the form could not be read');
  }
}

/** The employee fields, checked: the three texts are required, badges must be known ones. */
export async function employeeForm(data: FormData): Promise<{ form: EmployeeForm; missing: string[] }> {
  const text = (name: string) => {
    const v = data.get(name);
    return typeof v === 'string' ? v.trim().slice(0, MAX_TEXT) : '';
  };
  const badges = data.getAll('badges').filter((b): b is string => typeof b === 'string' && BADGES.has(b));
  const file = data.get('photo');
  const photo = file && typeof file !== 'string' && file.size > 0 ? Buffer.from(await file.arrayBuffer()) : undefined;
  const form: EmployeeForm = { fullName: text('full_name'), location: text('location'), jobTitle: text('job_title'), badges: [...new Set(badges)], photo };
  const missing = [
    ['Full name', form.fullName],
    ['Location', form.location],
    ['Job title', form.jobTitle],
  ].flatMap(([label, v]) => (v ? [] : [label]));
  return { form, missing };
}
