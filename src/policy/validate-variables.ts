/**
 * Checks on policy variables (${aws:username}, ${aws:PrincipalTag/team, 'none'}): written
 * correctly, used only where IAM substitutes them (the resource part of a Resource or
 * NotResource ARN, and condition values), and only in policies whose Version turns
 * substitution on.
 */
import type { JsonNode, JsonString } from './ast.js';
import { variablesBeforeResource } from './arn.js';
import type { LoosePolicy } from './validate-document.js';
import { type FindingLocation, Findings, toPathElements, valueAt } from './validate-findings.js';

/** The three fixed variables that stand for a literal character. */
const FIXED = new Set(['*', '?', '$']);

export function checkVariables(policy: LoosePolicy, f: Findings): void {
  let firstVariable: JsonString | undefined;
  for (const s of policy.statements) {
    for (const e of s.node.entries) {
      const allowed = e.key === 'Resource' || e.key === 'NotResource' || e.key === 'Condition';
      for (const str of strings(e.value)) {
        if (!str.value.includes('${')) continue;
        if (!allowed) {
          const variable = /\$\{[^}]*\}?/.exec(str.value)?.[0] ?? '${';
          f.add('VARIABLE_UNSUPPORTED_IN_ELEMENT', `Policy variables are supported in the Resource and Condition elements. Remove the policy variable ${variable} from this element.`, valueAt(str));
          continue;
        }
        if (!checkSyntax(str, policy.text, f)) continue;
        firstVariable ??= str;
        if (e.key !== 'Condition' && policy.version === '2012-10-17') checkArnFields(str, policy.text, f);
      }
    }
  }
  if (firstVariable && policy.version !== '2012-10-17') {
    const version = policy.root.entries.find((e) => e.key === 'Version');
    f.add('VARIABLE_UNSUPPORTED_IN_VERSION', 'To include variables in your policy, use the policy version 2012-10-17 or later.',
      version ? valueAt(version.value) : valueAt(firstVariable),
      'without "Version": "2012-10-17" IAM reads ${…} as literal text');
  }
}

/** A variable in the partition, service, Region or account field stays literal text (see arn.ts). */
function checkArnFields(str: JsonString, text: string, f: Findings): void {
  for (const v of variablesBeforeResource(str.value)) {
    f.add('VARIABLE_UNSUPPORTED_IN_ARN_FIELD',
      `IAM does not replace the policy variable ${v.variable} in the ${v.field} field of a resource ARN: variables work only in the resource part, after the fifth colon. This ARN matches no resource.`,
      substringAt(str, text, v.offset, v.variable.length));
  }
}

function strings(node: JsonNode): JsonString[] {
  if (node.type === 'string') return [node];
  if (node.type === 'array') return node.items.flatMap(strings);
  if (node.type === 'object') return node.entries.flatMap((e) => strings(e.value));
  return [];
}

/** Reports malformed variables in one string; true when it holds at least one well-formed variable. */
function checkSyntax(str: JsonString, text: string, f: Findings): boolean {
  const s = str.value;
  let ok = false;
  let from = 0;
  for (;;) {
    const start = s.indexOf('${', from);
    if (start < 0) return ok;
    const end = s.indexOf('}', start + 2);
    if (end < 0) {
      f.add('MISSING_BRACE_IN_VARIABLE', 'The policy variable is missing a closing curly brace. Add } after the variable text.', substringAt(str, text, start, s.length - start));
      return ok;
    }
    const at = substringAt(str, text, start, end + 1 - start);
    const inner = s.slice(start + 2, end);
    from = end + 1;
    if (inner.trim() === '') {
      f.add('EMPTY_VARIABLE', 'Empty policy variable. Remove the ${ } variable structure or provide a variable within the structure.', at);
      continue;
    }
    if (FIXED.has(inner)) { ok = true; continue; }
    const comma = inner.indexOf(',');
    const name = comma < 0 ? inner : inner.slice(0, comma);
    if (/\s/.test(name)) {
      f.add('UNSUPPORTED_SPACE_IN_VARIABLE', 'A space is not supported within the policy variable text. Remove the space.', at);
      continue;
    }
    if (comma >= 0 && !/^'.*'$/s.test(inner.slice(comma + 1).trim())) {
      f.add('MISSING_QUOTE_IN_VARIABLE', 'The policy variable default value must begin and end with a single quote. Add the missing quote.', at);
      continue;
    }
    ok = true;
  }
}

/**
 * Point into a string value. The text positions are exact when the string is written
 * without escapes (the usual case); otherwise the whole string is the location.
 */
function substringAt(str: JsonString, text: string, start: number, length: number): FindingLocation {
  const raw = text.slice(str.span.start.offset + 1, str.span.end.offset - 1);
  if (raw !== str.value) return valueAt(str);
  const from = str.span.start;
  return {
    path: [...toPathElements(str.path), { substring: { start, length } }],
    span: {
      start: { line: from.line, column: from.column + 1 + start, offset: from.offset + 1 + start },
      end: { line: from.line, column: from.column + 1 + start + length, offset: from.offset + 1 + start + length },
    },
  };
}
