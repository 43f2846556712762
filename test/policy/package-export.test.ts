import { test } from 'node:test';
import assert from 'node:assert/strict';

// Users import the engine as the package export "iamlocal/policy". The specifier is built
// at run time so the type checker does not need dist/ before it has emitted it.
const specifier = ['iamlocal', 'policy'].join('/');

test('the engine is importable as iamlocal/policy and decides and explains', async () => {
  const lib = await import(specifier);
  const policy = lib.compilePolicy(
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'ReadReports', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' }] }),
    { kind: 'identity', name: 'reports-reader' },
  );
  const principal = { type: 'user', arn: 'arn:aws:iam::123456789012:user/ana', accountId: '123456789012' };
  const allowed = lib.evaluate({ action: 's3:GetObject', resource: 'arn:aws:s3:::reports/q3.csv', principal, context: {} }, { identity: [policy] });
  assert.equal(allowed.decision, 'allowed');
  assert.equal(lib.explain(allowed), 'allowed by statement "ReadReports" (line 1) of policy "reports-reader"');
  const denied = lib.evaluate({ action: 's3:PutObject', resource: 'arn:aws:s3:::reports/q3.csv', principal, context: {} }, { identity: [policy] });
  assert.equal(denied.decision, 'implicitDeny');
  assert.equal(typeof lib.validatePolicy, 'function');
});

/** Static and dynamic import specifiers of a compiled ES module. */
function importsOf(js: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[\s;}])(?:import|export)\s(?:[^'"]*?\sfrom\s*)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of js.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

test('importsOf finds every kind of import it must refuse', () => {
  const js = `import { a } from './a.js';\nimport './side.js';\nexport * from "./b.js";\nimport {\n  c,\n} from 'node:fs';\nconst m = await import('node:path');\nconst r = require('x');`;
  assert.deepEqual(importsOf(js), ['./a.js', './side.js', './b.js', 'node:fs', 'node:path', 'x']);
});

test('iamlocal/policy is pure: every module it loads sits in the policy folder and imports no node: module or package', async () => {
  const { readFileSync } = await import('node:fs');
  const { dirname, resolve } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const entry = fileURLToPath(import.meta.resolve(specifier));
  const folder = dirname(entry);
  const seen = new Set<string>();
  const queue = [entry];
  const problems: string[] = [];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const js = readFileSync(file, 'utf8');
    if (/\bcreateRequire\b|\bprocess\.(env|cwd)\b/.test(js)) problems.push(`${file}: reaches outside the engine`);
    for (const spec of importsOf(js)) {
      if (!spec.startsWith('.')) { problems.push(`${file} imports ${spec}`); continue; }
      const target = resolve(dirname(file), spec);
      if (dirname(target) !== folder) problems.push(`${file} imports ${spec}, outside the policy folder`);
      else queue.push(target);
    }
  }
  assert.ok(seen.size > 20, `followed the engine's modules (${seen.size})`);
  assert.deepEqual(problems, []);
});

/** The policy folder's TypeScript sources, found from the package root (tests run from dist/). */
async function policySources(): Promise<Map<string, string>> {
  const { existsSync, readdirSync, readFileSync } = await import('node:fs');
  const { dirname, join } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'src', 'policy', 'index.ts'))) {
    const up = dirname(dir);
    assert.notEqual(up, dir, 'src/policy not found above the test');
    dir = up;
  }
  const folder = join(dir, 'src', 'policy');
  const out = new Map<string, string>();
  for (const f of readdirSync(folder)) if (f.endsWith('.ts')) out.set(f, readFileSync(join(folder, f), 'utf8'));
  return out;
}

/** Imports of a TypeScript source, type-only ones and import('…') types included. */
function sourceImports(ts: string): string[] {
  return [...importsOf(ts), ...[...ts.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1])];
}

test('the policy sources import only each other, and without cycles', async () => {
  const sources = await policySources();
  assert.ok(sources.size > 20);
  const graph = new Map<string, string[]>();
  const outside: string[] = [];
  for (const [file, ts] of sources) {
    const deps: string[] = [];
    for (const spec of sourceImports(ts)) {
      const m = /^\.\/([^/]+)\.js$/.exec(spec);
      if (!m || !sources.has(`${m[1]}.ts`)) outside.push(`${file} imports ${spec}`);
      else if (`${m[1]}.ts` !== file) deps.push(`${m[1]}.ts`);
    }
    graph.set(file, [...new Set(deps)]);
  }
  assert.deepEqual(outside, []);
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') { cycles.push([...path.slice(path.indexOf(file)), file].join(' -> ')); return; }
    state.set(file, 'open');
    for (const d of graph.get(file) ?? []) visit(d, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  assert.deepEqual(cycles, []);
});
