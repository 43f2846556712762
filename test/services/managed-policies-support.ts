import { ACCOUNT, call, contextFor } from './context.js';
import { iamService } from '../../src/services/iam/index.js';
import { findRoleByName } from '../../src/identity/roles.js';
import { authorize, policySetFor, type Verdict } from '../../src/server/authorize.js';
import { globalConditionKeys } from '../../src/server/request-facts.js';
import type { Principal } from '../../src/identity/principal.js';
import type { RequestContext } from '../../src/services/types.js';
import type { Store } from '../../src/store/store.js';

/** Shared by the managed-policy, version, attachment and boundary tests. */

export function doc(statements: unknown[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export const ALLOW_ALL = doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
export const EC2_TRUST = doc([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);

export const AWS_ARN = (name: string) => `arn:aws:iam::aws:policy/${name}`;
export const LOCAL_ARN = (name: string, path = '/') => `arn:aws:iam::${ACCOUNT}:policy${path}${name}`;

/** Creates a customer managed policy; returns its Policy shape. */
export function createPolicy(ctx: RequestContext, name: string, extra: Record<string, unknown> = {}) {
  return call(ctx, 'CreatePolicy', { PolicyName: name, PolicyDocument: ALLOW_ALL, ...extra }).Policy;
}

/** The verdicts for one operation by principal, as the pipeline reaches them. */
export function verdicts(store: Store, principal: Principal, op: string, input: Record<string, unknown>): Verdict[] {
  const ctx = contextFor(store, principal);
  const rule = iamService.operations[op].authorize(ctx, input);
  const entries = rule === null ? [] : Array.isArray(rule) ? rule : [rule];
  const keys = globalConditionKeys(principal, { now: ctx.now, region: ctx.region, sourceIp: ctx.sourceIp, secureTransport: true });
  return authorize(principal, entries, keys, policySetFor(store, principal));
}

/** 'allowed', or the first denial's kind. */
export function decide(store: Store, principal: Principal, op: string, input: Record<string, unknown>): string {
  return verdicts(store, principal, op, input).find((v) => v.decision.decision !== 'allowed')?.decision.decision ?? 'allowed';
}

/** The authz entries an operation asks for (one or more). */
export function entriesOf(ctx: RequestContext, op: string, input: Record<string, unknown>) {
  const rule = iamService.operations[op].authorize(ctx, input);
  return rule === null ? [] : Array.isArray(rule) ? rule : [rule];
}

/** A session of the role, as STS would describe it. */
export function sessionOf(store: Store, roleName: string): Principal {
  const role = findRoleByName(store, ACCOUNT, roleName)!;
  return {
    type: 'assumed-role',
    accountId: ACCOUNT,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role.role_name}/s`,
    userId: `${role.role_id}:s`,
    roleArn: role.arn,
    roleName: role.role_name,
    roleId: role.role_id,
    sessionName: 's',
    tags: role.tags,
  };
}

/** The engine's decision for any action and resource, with the principal's policies. */
export function decideAction(store: Store, principal: Principal, action: string, resource: string) {
  const keys = globalConditionKeys(principal, { now: Date.now(), region: 'us-east-1', sourceIp: '127.0.0.1', secureTransport: true });
  return authorize(principal, [{ action, resource }], keys, policySetFor(store, principal))[0];
}
