import type { RequestContext } from '../../types.js';
import { managedPolicyDocument } from '../../../identity/effective-policies.js';
import { noSuchEntity } from '../../../identity/errors.js';

/** A boundary must name a managed policy that exists (IAM's wording for boundaries). CreateUser, CreateRole. */
export function checkBoundary(ctx: RequestContext, arn: string): void {
  if (!managedPolicyDocument(ctx.store, ctx.accountId, arn)) throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
}
