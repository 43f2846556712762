import type { AuthzEntry, RequestContext } from '../../types.js';

/**
 * What EC2 asks the policy engine. Describe* actions support no resource-level
 * permissions: they are asked on "*". Actions on existing resources are asked on the
 * resource's ARN with its tags (ec2:ResourceTag/* and aws:ResourceTag/*) and the keys of
 * its kind; ec2:Region is in every request.
 */
export function describeEntry(ctx: RequestContext, action: string): AuthzEntry {
  return { action, resource: '*', context: { 'ec2:Region': ctx.region } };
}

/** An entry on one resource: `keys` are its kind's condition keys, `tags` its current tags. */
export function resourceEntry(
  ctx: RequestContext, action: string, resource: string, tags: Record<string, string>, keys: Record<string, string | string[]> = {},
): AuthzEntry {
  const context: Record<string, string | string[]> = { 'ec2:Region': ctx.region, ...keys };
  for (const [k, v] of Object.entries(tags)) {
    context[`ec2:ResourceTag/${k}`] = v;
    context[`aws:ResourceTag/${k}`] = v;
  }
  return { action, resource, context };
}

/** aws:RequestTag/* and aws:TagKeys for the tags a request creates. */
export function requestTagKeys(tags: Array<{ Key?: string; Value?: string }>): Record<string, string | string[]> {
  const keys: Record<string, string | string[]> = {};
  if (tags.length === 0) return keys;
  for (const t of tags) keys[`aws:RequestTag/${t.Key ?? ''}`] = t.Value ?? '';
  keys['aws:TagKeys'] = tags.map((t) => t.Key ?? '');
  return keys;
}
