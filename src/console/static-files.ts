import { readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { packageRoot } from '../package.js';

/**
 * The browser side, built by `npm run build` (scripts/bundle-console.mjs) into
 * dist/console/; read once and kept. Only names the build writes are served.
 */
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

const cache = new Map<string, Buffer | null>();

export function assetsDir(): string {
  return join(packageRoot(), 'dist', 'console');
}

/** The asset `name` (e.g. "app.js"), or undefined when the build did not write it. */
export function asset(name: string): { body: Buffer; type: string } | undefined {
  const ext = /\.[a-z]+$/.exec(name)?.[0] ?? '';
  const type = TYPES[ext];
  if (!type || !/^[\w.-]+$/.test(name) || normalize(name) !== name) return undefined;
  if (!cache.has(name)) {
    try {
      cache.set(name, readFileSync(join(assetsDir(), name)));
    } catch {
      cache.set(name, null);
    }
  }
  const body = cache.get(name);
  return body ? { body, type } : undefined;
}

/** The page: one script and one style sheet from this server; the nonce lets CodeMirror add its styles. */
export function indexHtml(prefix: string, nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csp-nonce" content="${nonce}">
<title>iamlocal console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${prefix}assets/app.css">
<script type="module" src="${prefix}assets/app.js"></script>
</head>
<body><div id="app"><noscript>The iamlocal console needs JavaScript.</noscript></div></body>
</html>
`;
}
