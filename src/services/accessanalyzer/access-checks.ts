import { iamDataCatalog } from '../../catalog/iam-data-catalog.js';
import {
  actionsMatching, compilePolicy, evaluate, parsePolicy, PolicyError, type CompiledPolicy, type EvalPrincipal, type PolicyKind, type Statement,
} from '../../policy/index.js';
import { AwsError } from '../../protocol/errors.js';
import { operation } from '../operation.js';

/**
 * The custom policy checks, decided by the engine: a request the policy allows is access
 * it grants. Resources are taken as written: a pattern the other policy's pattern covers
 * (its `*` matching the literal text) is access it already grants.
 */

const CHECKER: EvalPrincipal = { type: 'user', arn: 'arn:aws:iam::111122223333:user/access-check', accountId: '111122223333' };
const OUTSIDER: EvalPrincipal = { type: 'user', arn: 'arn:aws:iam::444455556666:user/outsider', accountId: '444455556666' };

function kindOf(policyType: string): PolicyKind {
  switch (policyType) {
    case 'IDENTITY_POLICY':
      return 'identity';
    case 'RESOURCE_POLICY':
      return 'resource';
    default:
      throw new AwsError('ValidationException', `Invalid policy type: ${policyType}`, 400);
  }
}

function parsed(text: string, kind: PolicyKind, name: string) {
  try {
    return { ast: parsePolicy(text, { kind, name }), compiled: compilePolicy(text, { kind, name }) };
  } catch (e) {
    if (e instanceof PolicyError) throw new AwsError('InvalidParameterException', `The ${name} is not valid: ${e.message}`, 400);
    throw e;
  }
}

/** The concrete actions a statement names (Action patterns expanded; NotAction: everything else). */
function statementActions(s: Statement): string[] {
  if (s.action) {
    const out = new Set<string>();
    for (const v of s.action.values) for (const a of actionsMatching(iamDataCatalog, v.value)) out.add(`${a.service}:${a.name}`);
    return [...out];
  }
  const excluded = (s.notAction?.values ?? []).map((v) => new Set(actionsMatching(iamDataCatalog, v.value).map((a) => `${a.service}:${a.name}`)));
  const out: string[] = [];
  for (const a of actionsMatching(iamDataCatalog, '*')) {
    const name = `${a.service}:${a.name}`;
    if (!excluded.some((set) => set.has(name))) out.push(name);
  }
  return out;
}

function statementResources(s: Statement): string[] {
  if (s.resource) return s.resource.values.map((v) => v.value);
  return ['*'];
}

function allows(policy: CompiledPolicy, kind: PolicyKind, action: string, resource: string, principal = CHECKER): boolean {
  const set = kind === 'identity' ? { identity: [policy] } : { identity: [], resource: [policy], resourcePolicyRequired: true };
  return evaluate({ action, resource, principal, context: {}, resourceAccount: CHECKER.accountId }, set).decision === 'allowed';
}

function reason(s: Statement, description: string) {
  return { description, statementIndex: s.index, statementId: s.sid?.value };
}

export const CheckNoNewAccess = operation({
  writes: false,
  authorize: () => ({ action: 'access-analyzer:CheckNoNewAccess', resource: '*' }),
  run: (_ctx, input) => {
    const kind = kindOf(input.policyType);
    const next = parsed(input.newPolicyDocument, kind, 'newPolicyDocument');
    const existing = parsed(input.existingPolicyDocument, kind, 'existingPolicyDocument');
    const reasons = [];
    for (const s of next.ast.statements) {
      if (s.effect !== 'Allow') continue;
      let fresh = false;
      for (const action of statementActions(s)) {
        for (const resource of statementResources(s)) {
          if (allows(next.compiled, kind, action, resource) && !allows(existing.compiled, kind, action, resource)) fresh = true;
          if (fresh) break;
        }
        if (fresh) break;
      }
      if (fresh) reasons.push(reason(s, `New access in the statement with index: ${s.index}.`));
    }
    return reasons.length > 0
      ? { result: 'FAIL', message: 'The modified permissions grant new access compared to your existing policy.', reasons }
      : { result: 'PASS', message: 'The modified permissions do not grant new access compared to your existing policy.', reasons: [] };
  },
});

export const CheckAccessNotGranted = operation({
  writes: false,
  authorize: () => ({ action: 'access-analyzer:CheckAccessNotGranted', resource: '*' }),
  run: (_ctx, input) => {
    const kind = kindOf(input.policyType);
    const policy = parsed(input.policyDocument, kind, 'policyDocument');
    const access = input.access as Array<{ actions?: string[]; resources?: string[] }>;
    const reasons = [];
    for (const s of policy.ast.statements) {
      if (s.effect !== 'Allow') continue;
      let granted: string | undefined;
      for (const a of access) {
        const actions = a.actions?.length ? a.actions : statementActions(s);
        const resources = a.resources?.length ? a.resources : statementResources(s);
        for (const action of actions) {
          for (const resource of resources) {
            if (allows(policy.compiled, kind, action, resource) && statementGrants(s, action)) granted ??= a.actions?.length ? action : resource;
          }
        }
      }
      if (granted) reasons.push(reason(s, `One or more of the listed actions or resources in the statement with index: ${s.index}.`));
    }
    return reasons.length > 0
      ? { result: 'FAIL', message: 'The policy document grants access to perform one or more of the listed actions or resources.', reasons }
      : { result: 'PASS', message: 'The policy document does not grant access to perform the listed actions or resources.', reasons: [] };
  },
});

/** Does this statement (not another one) name the action? */
function statementGrants(s: Statement, action: string): boolean {
  return statementActions(s).some((a) => a.toLowerCase() === action.toLowerCase());
}

/** Resource types CheckNoPublicAccess knows, with an action that reads them. */
const PUBLIC_PROBES: Record<string, { actions: string[]; resource: string }> = {
  'AWS::S3::Bucket': { actions: ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:DeleteObject'], resource: 'arn:aws:s3:::bucket' },
  'AWS::IAM::AssumeRolePolicyDocument': { actions: ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity'], resource: 'arn:aws:iam::111122223333:role/role' },
  'AWS::DynamoDB::Table': { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:Query'], resource: 'arn:aws:dynamodb:us-east-1:111122223333:table/t' },
};

export const CheckNoPublicAccess = operation({
  writes: false,
  authorize: () => ({ action: 'access-analyzer:CheckNoPublicAccess', resource: '*' }),
  run: (_ctx, input) => {
    const probe = PUBLIC_PROBES[input.resourceType];
    if (!probe) throw new AwsError('ValidationException', `iamlocal cannot check public access for ${input.resourceType} yet.`, 400);
    const kind: PolicyKind = input.resourceType === 'AWS::IAM::AssumeRolePolicyDocument' ? 'trust' : 'resource';
    const policy = parsed(input.policyDocument, kind, 'policyDocument');
    const reasons = [];
    for (const s of policy.ast.statements) {
      if (s.effect !== 'Allow') continue;
      const one = compilePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [JSON.parse(input.policyDocument).Statement].flat()[s.index] }), { kind, name: 'statement' });
      const anonymous: EvalPrincipal = { type: 'anonymous', arn: '*', accountId: '' };
      const resources = [probe.resource, `${probe.resource}/object`];
      const isPublic = probe.actions.some((a) => resources.some((r) => allows(one, kind, a, r, anonymous) || allows(one, kind, a, r, OUTSIDER)))
        && allowsEveryone(s);
      if (isPublic) reasons.push(reason(s, `Public access granted in the following statement with index: ${s.index}.`));
    }
    return reasons.length > 0
      ? { result: 'FAIL', message: 'The resource policy grants public access for the given resource type.', reasons }
      : { result: 'PASS', message: 'The resource policy does not grant public access for the given resource type.', reasons: [] };
  },
});

function allowsEveryone(s: Statement): boolean {
  if (s.notPrincipal) return true;
  if (s.principal?.wildcard) return true;
  return (s.principal?.entries ?? []).some((e) => e.type === 'AWS' && e.values.some((v) => v.value === '*'));
}
