import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Facts about the installed iamlocal package, found the same way from src/ (tsx) and dist/src/. */
let root: string | undefined;
let version: string | undefined;

/** The nearest ancestor folder holding our package.json. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'iamlocal') return (root = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('iamlocal: cannot find the package root (package.json named "iamlocal")');
    dir = parent;
  }
}

export function packageVersion(): string {
  return (version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version);
}
