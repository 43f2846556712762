/** Helpers for the validation tests (not a test file itself). */
import assert from 'node:assert/strict';
import { validatePolicy, type Finding, type PolicyKind } from '../../src/policy/index.js';
import { iamDataCatalog as catalog } from '../../src/catalog/iam-data-catalog.js';

/** A policy document's text, pretty-printed so findings have distinct lines. */
export function policy(statements: object | object[], version: string | null = '2012-10-17'): string {
  const d: Record<string, unknown> = {};
  if (version !== null) d.Version = version;
  d.Statement = statements;
  return JSON.stringify(d, null, 2);
}

export function validate(text: string, kind: PolicyKind = 'identity'): Finding[] {
  return validatePolicy(text, { kind, catalog });
}

export function codes(text: string, kind: PolicyKind = 'identity'): string[] {
  return validate(text, kind).map((f) => f.issueCode);
}

/** The one finding with this code (fails when there is none or several). */
export function only(findings: Finding[], code: string): Finding {
  const found = findings.filter((f) => f.issueCode === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${found.length}: ${JSON.stringify(findings.map((f) => f.issueCode))}`);
  return found[0];
}

/** The text a finding's first location points at. */
export function pointedText(text: string, f: Finding): string {
  const span = f.locations[0].span;
  return text.slice(span.start.offset, span.end.offset);
}

export const allowAll = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' };
