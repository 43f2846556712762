import assert from 'node:assert/strict';
import type { Principal } from '../../src/identity/principal.js';
import { sessionCallRefusal } from '../../src/identity/session-limits.js';
import { timeStepAt, totpCodeForStep } from '../../src/auth/totp.js';
import { accessDenied, authorize, policySetFor } from '../../src/server/authorize.js';
import { globalConditionKeys } from '../../src/server/request-facts.js';
import { iamService } from '../../src/services/iam/index.js';
import { stsService } from '../../src/services/sts/index.js';
import type { RequestContext } from '../../src/services/types.js';
import type { ServiceDefinition } from '../../src/services/operation.js';
import type { Store } from '../../src/store/store.js';
import { asRoot, call, contextFor, principalOf } from './context.js';

/**
 * Handler tests with authorization: runs an operation the way the pipeline does —
 * session limits, the authz rule, the policy engine, then the handler in a transaction —
 * so trust policies, session policies and revocation are exercised without HTTP.
 */
export function enforced(ctx: RequestContext, service: ServiceDefinition, operation: string, input: Record<string, unknown> = {}): any {
  const refusal = sessionCallRefusal(ctx.principal, service.name, operation);
  if (refusal) throw refusal;
  const rule = service.operations[operation]?.authorize;
  assert.ok(rule, `no authz rule for ${operation}`);
  const result = rule(ctx, input);
  const entries = result === null ? [] : Array.isArray(result) ? result : [result];
  if (entries.length > 0) {
    const keys = globalConditionKeys(ctx.principal, { now: ctx.now, region: ctx.region, sourceIp: ctx.sourceIp, secureTransport: true });
    const verdicts = authorize(ctx.principal, entries, keys, policySetFor(ctx.store, ctx.principal));
    const denied = verdicts.find((v) => v.decision.decision !== 'allowed');
    if (denied) throw accessDenied(ctx.principal, denied);
  }
  return call(ctx, operation, input, service);
}

export const iam = (ctx: RequestContext, op: string, input: Record<string, unknown> = {}) => enforced(ctx, iamService, op, input);
export const sts = (ctx: RequestContext, op: string, input: Record<string, unknown> = {}) => enforced(ctx, stsService, op, input);

export function policy(...statements: Array<Record<string, unknown>>): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export const allow = (action: string | string[], resource: string | string[] = '*', extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action: action, Resource: resource, ...extra });
export const deny = (action: string | string[], resource: string | string[] = '*', extra: Record<string, unknown> = {}) => ({ Effect: 'Deny', Action: action, Resource: resource, ...extra });

/** A trust policy statement letting `principal` (an ARN or account id) assume the role. */
export function trust(principal: string, extra: Record<string, unknown> = {}, actions: string | string[] = 'sts:AssumeRole'): Record<string, unknown> {
  return { Effect: 'Allow', Principal: { AWS: principal }, Action: actions, ...extra };
}

export function createRole(store: Store, name: string, trustDoc: string, opts: { maxSessionDuration?: number; tags?: Array<{ Key: string; Value: string }>; policy?: string; now?: number } = {}) {
  const root = asRoot(store, opts.now);
  const input: Record<string, unknown> = { RoleName: name, AssumeRolePolicyDocument: trustDoc };
  if (opts.maxSessionDuration) input.MaxSessionDuration = opts.maxSessionDuration;
  if (opts.tags) input.Tags = opts.tags;
  const { Role } = call(root, 'CreateRole', input);
  if (opts.policy) call(root, 'PutRolePolicy', { RoleName: name, PolicyName: 'perms', PolicyDocument: opts.policy });
  return Role as { Arn: string; RoleId: string; RoleName: string };
}

/** The principal that the credentials an STS operation returned sign as. */
export function sessionOf(store: Store, out: { Credentials: { AccessKeyId: string } }): Principal {
  return principalOf(store, out.Credentials.AccessKeyId);
}

/** A user with an enabled virtual MFA device; returns its serial and a code source for later steps. */
export function userWithMfa(store: Store, userName: string, now: number) {
  const root = asRoot(store, now);
  call(root, 'CreateUser', { UserName: userName });
  const { AccessKey } = call(root, 'CreateAccessKey', { UserName: userName });
  const created = call(root, 'CreateVirtualMFADevice', { VirtualMFADeviceName: `${userName}-mfa` });
  const seed = (created.VirtualMFADevice.Base32StringSeed as Buffer).toString('ascii');
  const serial = created.VirtualMFADevice.SerialNumber as string;
  const step = timeStepAt(now);
  call(root, 'EnableMFADevice', {
    UserName: userName,
    SerialNumber: serial,
    AuthenticationCode1: totpCodeForStep(seed, step - 1),
    AuthenticationCode2: totpCodeForStep(seed, step),
  });
  return {
    serial,
    /** The code the authenticator shows at `at`. */
    codeAt: (at: number) => totpCodeForStep(seed, timeStepAt(at)),
    principal: principalOf(store, AccessKey.AccessKeyId),
    ctx: (at: number) => contextFor(store, principalOf(store, AccessKey.AccessKeyId), at),
  };
}
