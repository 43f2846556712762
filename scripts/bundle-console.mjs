#!/usr/bin/env node
// Build step: the web console's browser side (src/console/app/, Preact + CodeMirror 6)
// bundled by esbuild into dist/console/app.js and app.css, which the server serves at
// /_iamlocal/console/assets/. Compiled here, not by tsc: it runs in the browser (DOM
// types, JSX) while tsc builds the Node side.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: { app: join(root, 'src', 'console', 'app', 'main.tsx') },
  outdir: join(root, 'dist', 'console'),
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
