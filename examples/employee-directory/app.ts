/**
 * The employee directory's routes: list, add, edit and delete employees. Every AWS call is
 * made with whatever credentials the SDK's default chain finds; when AWS refuses one, the
 * page says so (AWS's code and message) and the app goes on serving.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeAwsError, type AwsProblem } from './aws-errors.js';
import type { Employee, Employees } from './employees.js';
import { employeeForm, FormError, readForm, type EmployeeForm } from './forms.js';
import type { Html } from './html.js';
import type { InstanceInfo } from './instance.js';
import { deletePage, formPage, listPage, messagePage, type Chrome, type FormValues, type Listed } from './pages.js';
import { photoFormat, type Photos } from './photos.js';
import { STYLE } from './style.js';

export interface AppDeps {
  employees: Employees;
  photos: Photos;
  instance?: InstanceInfo;
}

/** Notices a redirect may ask for (fixed texts: the query string never reaches the page). */
const NOTICES = new Map([
  ['added', 'Employee added.'],
  ['saved', 'Saved.'],
  ['deleted', 'Employee deleted.'],
]);

type Route = (req: IncomingMessage, res: ServerResponse, page: PageContext, id: string) => Promise<void>;

/** What one request's page collects: image origins for the CSP, the chrome around it. */
class PageContext {
  readonly imageOrigins = new Set<string>();
  constructor(readonly deps: AppDeps) {}

  chrome(extra: Omit<Chrome, 'instance'> = {}): Chrome {
    return { instance: this.deps.instance, ...extra };
  }

  /** A presigned link for a photo, or a problem; the link's origin is allowed by the page's CSP. */
  async photoLink(key: string | undefined, problems: AwsProblem[]): Promise<string | undefined> {
    if (!key) return undefined;
    try {
      const url = await this.deps.photos.link(key);
      this.imageOrigins.add(new URL(url).origin);
      return url;
    } catch (err) {
      problems.push(describeAwsError(err, 's3:GetObject (presign)'));
      return undefined;
    }
  }
}

export function createApp(deps: AppDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const routes: { method: string; path: RegExp; run: Route }[] = [
    { method: 'GET', path: /^\/$/, run: home },
    { method: 'GET', path: /^\/employees\/new$/, run: newForm },
    { method: 'POST', path: /^\/employees$/, run: create },
    { method: 'GET', path: /^\/employees\/([^/]+)\/edit$/, run: editForm },
    { method: 'POST', path: /^\/employees\/([^/]+)\/edit$/, run: save },
    { method: 'GET', path: /^\/employees\/([^/]+)\/delete$/, run: confirmDelete },
    { method: 'POST', path: /^\/employees\/([^/]+)\/delete$/, run: remove },
  ];
  return (req, res) => {
    const page = new PageContext(deps);
    const path = new URL(req.url ?? '/', 'http://app').pathname;
    const handle = async () => {
      if (path === '/style.css' && (req.method === 'GET' || req.method === 'HEAD')) {
        res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=300', 'x-content-type-options': 'nosniff' });
        return void res.end(req.method === 'HEAD' ? undefined : STYLE);
      }
      const matching = routes.filter((r) => r.path.test(path));
      if (matching.length === 0) return send(res, page, 404, messagePage('Not found', `There is no page at ${path}.`, page.chrome()));
      const route = matching.find((r) => r.method === req.method);
      if (!route) {
        res.setHeader('allow', matching.map((r) => r.method).join(', '));
        return send(res, page, 405, messagePage('Method not allowed', `${req.method} is not used here.`, page.chrome()));
      }
      if (req.method === 'POST' && crossSite(req)) {
        return send(res, page, 403, messagePage('Forbidden', 'Forms are only accepted from this site.', page.chrome()));
      }
      let id = '';
      try {
        id = decodeURIComponent(route.path.exec(path)?.[1] ?? '');
      } catch {
        return send(res, page, 404, messagePage('Not found', 'No such employee.', page.chrome()));
      }
      await route.run(req, res, page, id);
    };
    handle().catch((err: unknown) => {
      const status = err instanceof FormError ? err.status : 500;
      const message = err instanceof FormError ? err.message : 'Something went wrong; the error is in the server log.';
      if (!(err instanceof FormError)) console.error(err);
      if (res.headersSent) return void res.destroy();
      // Stop reading a body we refused; the connection closes after the answer.
      res.setHeader('connection', 'close');
      send(res, page, status, messagePage(status === 500 ? 'Error' : 'Form refused', message, page.chrome()));
    });
  };
}

/**
 * A POST from another site's page (a forged form). Browsers say where a form came from:
 * Sec-Fetch-Site, else Origin ("null" from an opaque origin).
 */
function crossSite(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site) return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return origin === 'null' || new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

function send(res: ServerResponse, page: PageContext, status: number, body: Html): void {
  const images = page.imageOrigins.size ? [...page.imageOrigins].join(' ') : "'none'";
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src 'self'; img-src ${images}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    // No Referer to the bucket's origin; same-origin still gives this app's forms their Origin.
    'referrer-policy': 'same-origin',
    // Pages hold short-lived signed links and the latest records.
    'cache-control': 'no-store',
  });
  res.end(body.text);
}

function redirect(res: ServerResponse, notice: 'added' | 'saved' | 'deleted'): void {
  res.writeHead(303, { location: `/?notice=${notice}`, 'cache-control': 'no-store' });
  res.end();
}

async function home(req: IncomingMessage, res: ServerResponse, page: PageContext): Promise<void> {
  const notice = NOTICES.get(new URL(req.url ?? '/', 'http://app').searchParams.get('notice') ?? '');
  await renderList(res, page, notice, []);
}

async function renderList(res: ServerResponse, page: PageContext, notice: string | undefined, problems: AwsProblem[]): Promise<void> {
  let listed: Listed[] | undefined;
  try {
    const employees = await page.deps.employees.list();
    listed = await Promise.all(employees.map(async (e) => ({ ...e, photoUrl: await page.photoLink(e.objectKey, problems) })));
  } catch (err) {
    problems.push(describeAwsError(err, 'dynamodb:Scan'));
  }
  // A list that could not be read answers with AWS's status; a missing photo link does not.
  const answer = listed === undefined ? problems[problems.length - 1].status : 200;
  send(res, page, answer, listPage(listed, page.chrome({ notice, problems: dedupe(problems) })));
}

/** The same denial for every photo of the list is said once. */
function dedupe(problems: AwsProblem[]): AwsProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.call}\n${p.code}\n${p.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

const EMPTY: FormValues = { fullName: '', location: '', jobTitle: '', badges: [] };

async function newForm(_req: IncomingMessage, res: ServerResponse, page: PageContext): Promise<void> {
  send(res, page, 200, formPage(EMPTY, page.chrome()));
}

/**
 * The photo first (as seed 000's app does), then the record: if S3 refuses the photo, no
 * record is written and the form comes back, filled in, with AWS's answer.
 */
async function create(req: IncomingMessage, res: ServerResponse, page: PageContext): Promise<void> {
  const { form, missing } = await employeeForm(await readForm(req));
  const values: FormValues = { ...fields(form) };
  if (missing.length) return send(res, page, 400, formPage(values, page.chrome(), missing));
  const stored = await storePhoto(page, form.photo);
  if ('problem' in stored) return send(res, page, stored.problem.status, formPage(values, page.chrome({ problems: [stored.problem] })));
  try {
    await page.deps.employees.add({ ...fields(form), ...(stored.key ? { objectKey: stored.key } : {}) });
  } catch (err) {
    const problems = [describeAwsError(err, 'dynamodb:PutItem')];
    await dropPhoto(page, stored.key, problems);
    return send(res, page, problems[0].status, formPage(values, page.chrome({ problems })));
  }
  redirect(res, 'added');
}

async function editForm(_req: IncomingMessage, res: ServerResponse, page: PageContext, id: string): Promise<void> {
  const problems: AwsProblem[] = [];
  const employee = await load(res, page, id, problems);
  if (!employee) return;
  const photoUrl = await page.photoLink(employee.objectKey, problems);
  send(res, page, 200, formPage({ ...employee, photoUrl }, page.chrome({ problems })));
}

async function save(req: IncomingMessage, res: ServerResponse, page: PageContext, id: string): Promise<void> {
  const { form, missing } = await employeeForm(await readForm(req));
  const values: FormValues = { id, ...fields(form) };
  if (missing.length) return send(res, page, 400, formPage(values, page.chrome(), missing));
  const stored = await storePhoto(page, form.photo);
  if ('problem' in stored) return send(res, page, stored.problem.status, formPage(values, page.chrome({ problems: [stored.problem] })));
  const key = stored.key;
  let before: Employee | undefined;
  try {
    before = await page.deps.employees.update(id, fields(form), key);
  } catch (err) {
    const problems = [describeAwsError(err, 'dynamodb:UpdateItem')];
    await dropPhoto(page, key, problems);
    return send(res, page, problems[0].status, formPage(values, page.chrome({ problems })));
  }
  if (!before) {
    await dropPhoto(page, key, []);
    return send(res, page, 404, messagePage('Not found', 'This employee is no longer in the directory.', page.chrome()));
  }
  // The replaced photo is no longer shown anywhere.
  const problems: AwsProblem[] = [];
  if (key && before.objectKey && before.objectKey !== key) await dropPhoto(page, before.objectKey, problems);
  if (problems.length) return renderList(res, page, NOTICES.get('saved'), problems);
  redirect(res, 'saved');
}

async function confirmDelete(_req: IncomingMessage, res: ServerResponse, page: PageContext, id: string): Promise<void> {
  const problems: AwsProblem[] = [];
  const employee = await load(res, page, id, problems);
  if (employee) send(res, page, 200, deletePage(employee, page.chrome({ problems })));
}

async function remove(_req: IncomingMessage, res: ServerResponse, page: PageContext, id: string): Promise<void> {
  let deleted: Employee | undefined;
  try {
    deleted = await page.deps.employees.delete(id);
  } catch (err) {
    return renderList(res, page, undefined, [describeAwsError(err, 'dynamodb:DeleteItem')]);
  }
  if (!deleted) return send(res, page, 404, messagePage('Not found', 'This employee is no longer in the directory.', page.chrome()));
  const problems: AwsProblem[] = [];
  await dropPhoto(page, deleted.objectKey, problems);
  if (problems.length) return renderList(res, page, NOTICES.get('deleted'), problems);
  redirect(res, 'deleted');
}

/** The employee, or an answered request (404, or the page with AWS's refusal). */
async function load(res: ServerResponse, page: PageContext, id: string, problems: AwsProblem[]): Promise<Employee | undefined> {
  try {
    const employee = await page.deps.employees.get(id);
    if (!employee) send(res, page, 404, messagePage('Not found', 'No such employee.', page.chrome()));
    return employee;
  } catch (err) {
    const problem = describeAwsError(err, 'dynamodb:GetItem');
    send(res, page, problem.status, messagePage('Not available', 'The employee could not be read.', page.chrome({ problems: [problem] })));
    return undefined;
  }
}

/** Stores an uploaded photo, if there is one; a non-image or S3's refusal is the form's problem. */
async function storePhoto(page: PageContext, photo: Buffer | undefined): Promise<{ key?: string } | { problem: AwsProblem }> {
  if (!photo) return {};
  const format = photoFormat(photo);
  if (!format) return { problem: { code: 'UnsupportedImage', message: 'the photo must be a PNG, JPEG, GIF or WebP image', status: 400, call: '' } };
  try {
    return { key: await page.deps.photos.put(photo, format) };
  } catch (err) {
    return { problem: describeAwsError(err, 's3:PutObject') };
  }
}

/** Removes a photo no record points to; a refusal is reported, the record stays as it is. */
async function dropPhoto(page: PageContext, key: string | undefined, problems: AwsProblem[]): Promise<void> {
  if (!key) return;
  try {
    await page.deps.photos.delete(key);
  } catch (err) {
    problems.push(describeAwsError(err, 's3:DeleteObject'));
  }
}

function fields(form: EmployeeForm): Omit<Employee, 'id' | 'objectKey'> {
  return { fullName: form.fullName, location: form.location, jobTitle: form.jobTitle, badges: form.badges };
}
