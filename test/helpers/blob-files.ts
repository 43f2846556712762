import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Blob files on disk: those named (in their 2-hex folders) and those half-written (tmp). */
export function blobFiles(dataDir: string): { named: string[]; tmp: string[] } {
  const dir = join(dataDir, 'blobs');
  const named: string[] = [];
  for (const sub of readdirSync(dir)) if (/^[0-9a-f]{2}$/.test(sub)) named.push(...readdirSync(join(dir, sub)));
  return { named, tmp: readdirSync(join(dir, 'tmp')) };
}
