#!/usr/bin/env node
// Build step: bundles the `iamlocal` command (dist/src/cli/main.js and every module it
// imports) into one file, dist/iamlocal.js. A cold start then reads one file instead of
// resolving and linking some 200 ES modules: on the 2-core machine, 290–400 ms became
// 170–260 ms. Packages stay external (better-sqlite3 is native; the others load lazily).
// The hashing thread's module (src/store/hash-worker.ts) is a worker's entry point, so it
// is bundled apart, beside iamlocal.js, where threaded-hash.ts looks for it.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = (entry, outfile) =>
  build({
    entryPoints: [join(root, 'dist', ...entry)],
    outfile: join(root, 'dist', outfile),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
await bundle(['src', 'cli', 'main.js'], 'iamlocal.js');
await bundle(['src', 'store', 'hash-worker.js'], 'hash-worker.js');
// The CloudTrail recorder's worker thread (src/services/cloudtrail/cloudtrail-writer.ts),
// beside the command, where the bundled recorder looks for it.
await bundle(['src', 'services', 'cloudtrail', 'cloudtrail-writer.js'], 'cloudtrail-writer.js');
