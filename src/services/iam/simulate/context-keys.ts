import type { Policy } from '../../../policy/index.js';
import { compileTemplate } from '../../../policy/variables.js';
import { operation } from '../../operation.js';
import { accountWide } from '../shared/account-wide.js';
import { parseInputPolicy } from './simulate-inputs.js';
import { simulationEntity } from './simulate-sources.js';
import { onPolicySource } from './source-resource.js';

/**
 * GetContextKeysForCustomPolicy / GetContextKeysForPrincipalPolicy: the context keys a
 * simulation of these policies would read — every condition key, and every key named by
 * a policy variable (in Resource, NotResource or a condition value) of a policy whose
 * Version turns variables on. Listed in the order they first appear (policy by policy,
 * then by place in the text), each key once whatever its case.
 */

/** The keys one policy reads, in text order. */
export function policyContextKeys(policy: Policy): string[] {
  const substitute = policy.languageVersion === '2012-10-17';
  const found: Array<{ at: number; key: string }> = [];
  const variablesIn = (value: string, at: number) => {
    if (!substitute || !value.includes('${')) return;
    for (const key of compileTemplate(value, true).keys) found.push({ at, key });
  };
  for (const s of policy.statements) {
    for (const list of [s.resource, s.notResource]) if (list) for (const v of list.values) variablesIn(v.value, v.span.start.offset);
    for (const clause of s.condition?.clauses ?? []) {
      found.push({ at: clause.keySpan.start.offset, key: clause.key });
      for (const v of clause.values) variablesIn(v.value, v.span.start.offset);
    }
  }
  found.sort((a, b) => a.at - b.at);
  return found.map((f) => f.key);
}

/** The keys of several policies, each once (compared case-insensitively; first spelling kept). */
export function contextKeysOf(policies: readonly Policy[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of policies) {
    for (const key of policyContextKeys(p)) {
      const fold = key.toLowerCase();
      if (seen.has(fold)) continue;
      seen.add(fold);
      out.push(key);
    }
  }
  return out;
}

export const GetContextKeysForCustomPolicy = operation({
  writes: false,
  authorize: accountWide('iam:GetContextKeysForCustomPolicy'),
  run: (_ctx, input: { PolicyInputList: string[] }) => ({
    ContextKeyNames: contextKeysOf(input.PolicyInputList.map((text) => parseInputPolicy(text, 'identity'))),
  }),
});

export const GetContextKeysForPrincipalPolicy = operation({
  writes: false,
  authorize: onPolicySource('iam:GetContextKeysForPrincipalPolicy'),
  run: (ctx, input: { PolicySourceArn: string; PolicyInputList?: string[] }) => {
    const entity = simulationEntity(ctx.store, ctx.accountId, input.PolicySourceArn);
    const stored = [...entity.identity, ...(entity.boundary ? [entity.boundary] : [])].map((p) => parseInputPolicy(p.document, 'identity'));
    const extra = (input.PolicyInputList ?? []).map((text) => parseInputPolicy(text, 'identity'));
    return { ContextKeyNames: contextKeysOf([...stored, ...extra]) };
  },
});
