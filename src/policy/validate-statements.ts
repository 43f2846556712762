/**
 * Checks across statements: statement IDs (present, well-formed, unique) and statements
 * that add nothing because another statement already grants or denies the same.
 */
import type { LooseList, LoosePolicy, LoosePrincipal, LooseStatement } from './validate-document.js';
import { Findings, valueAt } from './validate-findings.js';
import { globCovers } from './validate-match.js';

/** Kinds IAM itself stores, whose Sids must be alphanumeric. */
const ALPHANUMERIC_SID_KINDS = new Set(['identity', 'boundary', 'session', 'trust']);

export function checkStatements(policy: LoosePolicy, f: Findings): void {
  checkSids(policy, f);
  checkRedundantStatements(policy, f);
}

function checkSids(policy: LoosePolicy, f: Findings): void {
  const seen = new Set<string>();
  for (const s of policy.statements) {
    if (!s.sid) continue;
    const sid = s.sid.value;
    if (sid === '') {
      f.add('EMPTY_SID_VALUE', 'Add a value to the empty string in the Sid element.', valueAt(s.sid));
      continue;
    }
    if (ALPHANUMERIC_SID_KINDS.has(policy.kind) && !/^[0-9A-Za-z]*$/.test(sid)) {
      f.add('UNSUPPORTED_SID', 'Update the characters in the Sid element to use one of the following character types: [a-z, A-Z, 0-9]', valueAt(s.sid));
    }
    if (seen.has(sid)) {
      // IAM refuses repeated Sids in every policy type it parses, so this is an error, not advice.
      f.add('UNIQUE_SIDS_REQUIRED', 'Duplicate statement IDs are not supported for this policy type. Update the Sid value.', valueAt(s.sid));
    }
    seen.add(sid);
  }
}

// ---------------------------------------------------------------------------------------
// Redundant statements

function principalKey(p: LoosePrincipal | undefined): string {
  if (!p) return '';
  if (p.wildcard) return `${p.element}:*`;
  const parts = p.entries.map((e) => `${e.type}=${e.values.map((v) => v.value).sort().join(',')}`).sort();
  return `${p.element}:${parts.join(';')}`;
}

function conditionKey(s: LooseStatement): string {
  const clauses = (s.condition?.clauses ?? []).map((c) =>
    `${c.operator}|${c.key.toLowerCase()}|${c.values.map((v) => String(v.value)).sort().join(',')}`);
  return clauses.sort().join(';');
}

/** Every value of `inner` is covered by some value of `outer`. */
function listCovered(outer: LooseList | undefined, inner: LooseList | undefined, caseInsensitive: boolean): boolean {
  if (!outer || !inner) return outer === inner;
  return inner.values.every((i) => outer.values.some((o) => globCovers(o.value, i.value, caseInsensitive)));
}

/** Does statement `a` already do everything `b` does? */
function covers(a: LooseStatement, b: LooseStatement): boolean {
  if (a.effect === undefined || a.effect !== b.effect) return false;
  if (principalKey(a.principal) !== principalKey(b.principal) || principalKey(a.notPrincipal) !== principalKey(b.notPrincipal)) return false;
  if (conditionKey(a) !== conditionKey(b)) return false;
  // NotAction/NotResource lists cover by exclusion; only identical ones are comparable.
  if (a.notAction || b.notAction || a.notResource || b.notResource) return sameText(a, b);
  return listCovered(a.action, b.action, true) && listCovered(a.resource, b.resource, false);
}

function sameText(a: LooseStatement, b: LooseStatement): boolean {
  const norm = (l: LooseList | undefined, ci: boolean) => (l ? l.values.map((v) => (ci ? v.value.toLowerCase() : v.value)).sort().join(',') : '-');
  return norm(a.action, true) === norm(b.action, true) && norm(a.notAction, true) === norm(b.notAction, true)
    && norm(a.resource, false) === norm(b.resource, false) && norm(a.notResource, false) === norm(b.notResource, false);
}

function checkRedundantStatements(policy: LoosePolicy, f: Findings): void {
  const redundant = new Set<number>();
  const list = policy.statements;
  for (let i = 0; i < list.length; i++) {
    for (let j = 0; j < list.length; j++) {
      if (i === j || redundant.has(j)) continue;
      const b = list[i];
      const a = list[j];
      // When two statements cover each other (identical), the later one is the redundant one.
      if (covers(a, b) && (!covers(b, a) || j < i)) {
        redundant.add(i);
        f.add('REDUNDANT_STATEMENT', 'The statements are redundant because they provide identical permissions. Update the policy to remove the redundant statement.',
          [valueAt(b.node), valueAt(a.node)]);
        break;
      }
    }
  }
}
