/**
 * Checks on Action and NotAction: does each action exist, is any listed twice (or covered
 * by a wildcard), and do the broad grants Access Analyzer warns about appear
 * (iam:PassRole / iam:CreateServiceLinkedRole on every role, Allow with NotAction).
 */
import type { JsonString } from './ast.js';
import type { ActionCatalog } from './catalog.js';
import { actionsMatching } from './catalog-queries.js';
import { IDENTITY_KINDS, type LooseList, type LoosePolicy, type LooseStatement } from './validate-document.js';
import { type FindingLocation, Findings, type IssueCode, keyAt, valueAt } from './validate-findings.js';
import { closest, globCovers, globRegExp, hasWildcard, redundantIndexes } from './validate-match.js';

export function checkActions(policy: LoosePolicy, f: Findings, catalog: ActionCatalog): void {
  for (const s of policy.statements) {
    for (const list of [s.action, s.notAction]) {
      if (!list) continue;
      for (const v of list.values) checkActionExists(v, f, catalog);
      if (policy.kind === 'scp') for (const v of list.values) checkScpWildcard(v, f);
      checkRedundantActions(list, f);
    }
    if (s.effect === 'Allow' && policy.kind !== 'scp') {
      checkBroadGrant(s, 'iam:PassRole', PASS_ROLE, f);
      checkBroadGrant(s, 'iam:CreateServiceLinkedRole', CREATE_SLR, f);
      checkAllowWithNot(s, policy, f);
    }
  }
}

function checkActionExists(v: JsonString, f: Findings, catalog: ActionCatalog): void {
  const action = v.value;
  if (action === '*') return;
  const colon = action.indexOf(':');
  if (colon < 0 || action.indexOf(':', colon + 1) >= 0) {
    f.add('INVALID_ACTION', `The action ${action} does not exist.`, valueAt(v), 'an action is written service:ActionName, e.g. s3:GetObject');
    return;
  }
  const service = action.slice(0, colon);
  const name = action.slice(colon + 1);
  if (hasWildcard(service)) {
    f.add('WILDCARD_IN_SERVICE_NAME', 'Avoid using wildcards (*, ?) in the service name because it might grant unintended access to other AWS services with similar names.', valueAt(v));
    return;
  }
  if (!catalog.isKnownService(service)) {
    const guess = closest(service, catalog.allServices());
    f.add('INVALID_SERVICE_IN_ACTION',
      `The service ${service} specified in the action does not exist.${guess ? ` Did you mean ${guess}?` : ''}`, valueAt(v));
    return;
  }
  const exists = hasWildcard(name) ? actionsMatching(catalog, action).length > 0 : catalog.findAction(service, name) !== undefined;
  if (exists) return;
  const guess = hasWildcard(name) ? undefined : closest(name, catalog.actionsOfService(service).map((a) => a.name));
  f.add('INVALID_ACTION',
    `The action ${action} does not exist.${guess ? ` Did you mean ${service.toLowerCase()}:${guess}?` : ''}`, valueAt(v));
}

function checkScpWildcard(v: JsonString, f: Findings): void {
  const a = v.value;
  const firstWildcard = a.search(/[*?]/);
  if (a === '*' || firstWildcard < 0) return;
  if (firstWildcard === a.length - 1 && a.endsWith('*')) return;
  f.add('SCP_SYNTAX_ERROR_ACTION_WILDCARD', `SCP actions can include wildcards (*) only at the end of a string. Update ${a}.`, valueAt(v));
}

function checkRedundantActions(list: LooseList, f: Findings): void {
  const redundant = [...redundantIndexes(list.values.map((v) => v.value), true)];
  if (redundant.length === 0) return;
  const first = list.values[redundant[0]].value;
  f.add('REDUNDANT_ACTION',
    `The ${redundant.length} action(s) are redundant because they provide similar permissions. Update the policy to remove the redundant action such as: ${first}.`,
    redundant.map((i) => valueAt(list.values[i])));
}

// ---------------------------------------------------------------------------------------
// Broad grants of iam:PassRole and iam:CreateServiceLinkedRole

interface BroadGrantChecks {
  /** An ARN every role-like resource in this family matches, to tell "all of them" from "some". */
  probe: (account: string) => string;
  /** Condition keys that, when present, make the statement specific enough. */
  narrowingKeys: string[];
  codes: {
    starInResource: IssueCode; starInActionAndResource: IssueCode; starInResourceAndNotAction: IssueCode;
    notResource: IssueCode; starInActionAndNotResource: IssueCode; notActionAndNotResource: IssueCode;
  };
  messages: Record<'starInResource' | 'starInActionAndResource' | 'starInResourceAndNotAction' | 'notResource' | 'starInActionAndNotResource' | 'notActionAndNotResource', string>;
}

const PASS_ROLE: BroadGrantChecks = {
  probe: (account) => `arn:aws:iam::${account}:role/iamlocal-probe/zz-any-role`,
  narrowingKeys: ['iam:passedtoservice'],
  codes: {
    starInResource: 'PASS_ROLE_WITH_STAR_IN_RESOURCE', starInActionAndResource: 'PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE',
    starInResourceAndNotAction: 'PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION', notResource: 'PASS_ROLE_WITH_NOTRESOURCE',
    starInActionAndNotResource: 'PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE', notActionAndNotResource: 'PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE',
  },
  messages: {
    starInResource: 'Using the iam:PassRole action with wildcards (*) in the resource can be overly permissive because it allows iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs or add the iam:PassedToService condition key to your statement.',
    starInActionAndResource: 'Using wildcards (*) in the action and the resource can be overly permissive because it allows iam:PassRole permissions on all resources. We recommend that you specify resource ARNs or add the iam:PassedToService condition key to your statement.',
    starInResourceAndNotAction: 'Using a resource with wildcards (*) and NotAction can be overly permissive because it allows iam:PassRole permissions on all resources. We recommend that you specify resource ARNs or add the iam:PassedToService condition key to your statement.',
    notResource: 'Using the iam:PassRole action with NotResource can be overly permissive because it can allow iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs instead.',
    starInActionAndNotResource: 'Using an action with a wildcard (*) and NotResource can be overly permissive because it can allow iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs instead.',
    notActionAndNotResource: 'Using NotAction with NotResource can be overly permissive because it can allow iam:PassRole permissions on multiple resources.. We recommend that you specify resource ARNs instead.',
  },
};

const CREATE_SLR: BroadGrantChecks = {
  probe: (account) => `arn:aws:iam::${account}:role/aws-service-role/zz-any.amazonaws.com/AWSServiceRoleForZzAny`,
  narrowingKeys: ['iam:awsservicename'],
  codes: {
    starInResource: 'CREATE_SLR_WITH_STAR_IN_RESOURCE', starInActionAndResource: 'CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE',
    starInResourceAndNotAction: 'CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOTACTION', notResource: 'CREATE_SLR_WITH_NOTRESOURCE',
    starInActionAndNotResource: 'CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOTRESOURCE', notActionAndNotResource: 'CREATE_SLR_WITH_NOTACTION_AND_NOTRESOURCE',
  },
  messages: {
    starInResource: 'Using the iam:CreateServiceLinkedRole action with wildcards (*) in the resource can allow creation of unintended service-linked roles. We recommend that you specify resource ARNs instead.',
    starInActionAndResource: 'Using wildcards (*) in the action and the resource can allow creation of unintended service-linked roles because it allows iam:CreateServiceLinkedRole permissions on all resources. We recommend that you specify resource ARNs instead.',
    starInResourceAndNotAction: 'Using a resource with wildcards (*) and NotAction can allow creation of unintended service-linked roles because it allows iam:CreateServiceLinkedRole permissions on all resources. We recommend that you specify resource ARNs instead.',
    notResource: 'Using the iam:CreateServiceLinkedRole action with NotResource can allow creation of unintended service-linked roles for multiple resources. We recommend that you specify resource ARNs instead.',
    starInActionAndNotResource: 'Using an action with a wildcard(*) and NotResource can allow creation of unintended service-linked roles because it can allow iam:CreateServiceLinkedRole permissions on multiple resources. We recommend that you specify resource ARNs instead.',
    notActionAndNotResource: 'Using NotAction with NotResource can allow creation of unintended service-linked roles because it allows iam:CreateServiceLinkedRole permissions on multiple resources. We recommend that you specify resource ARNs instead.',
  },
};

/** Does this resource pattern cover every role of its account (or of every account)? */
function coversAllRoles(resource: string, checks: BroadGrantChecks): boolean {
  if (resource === '*') return true;
  const account = /^arn:[^:]*:iam::(\d{12}):/.exec(resource)?.[1] ?? '123456789012';
  return globRegExp(resource, false).test(checks.probe(account));
}

function checkBroadGrant(s: LooseStatement, action: string, checks: BroadGrantChecks, f: Findings): void {
  const keys = new Set((s.condition?.clauses ?? []).map((c) => c.key.toLowerCase()));
  if (checks.narrowingKeys.some((k) => keys.has(k))) return;

  // How the statement grants the action: named outright, through a wildcard, or through NotAction.
  let via: 'named' | 'wildcard' | 'notAction' | undefined;
  if (s.action) {
    const granting = s.action.values.filter((v) => globCovers(v.value, action, true));
    if (granting.some((v) => v.value.toLowerCase() === action.toLowerCase())) via = 'named';
    else if (granting.length > 0) via = 'wildcard';
  } else if (s.notAction && !s.notAction.values.some((v) => globCovers(v.value, action, true))) {
    via = 'notAction';
  }
  if (!via) return;

  const c = checks.codes;
  const m = checks.messages;
  if (s.resource) {
    const star = s.resource.values.find((v) => coversAllRoles(v.value, checks));
    if (!star) return;
    const key = via === 'named' ? 'starInResource' : via === 'wildcard' ? 'starInActionAndResource' : 'starInResourceAndNotAction';
    f.add(c[key], m[key], valueAt(star));
  } else if (s.notResource) {
    const key = via === 'named' ? 'notResource' : via === 'wildcard' ? 'starInActionAndNotResource' : 'notActionAndNotResource';
    f.add(c[key], m[key], listKey(s.notResource));
  }
}

function listKey(list: LooseList): FindingLocation {
  return keyAt(list.node.path.slice(0, -1), list.element, list.keySpan);
}

/** iamlocal's own warnings: an Allow that names what it does not grant grants everything else. */
function checkAllowWithNot(s: LooseStatement, policy: LoosePolicy, f: Findings): void {
  if (s.notAction && (IDENTITY_KINDS.has(policy.kind) || policy.kind === 'resource')) {
    f.add('ALLOW_WITH_NOTACTION',
      'Using Allow with NotAction allows every action that is not listed, including actions of other services and actions that AWS adds later. We recommend that you list the allowed actions in Action instead.',
      listKey(s.notAction));
  }
  if (s.notResource) {
    f.add('ALLOW_WITH_NOTRESOURCE',
      'Using Allow with NotResource allows the actions on every resource that is not listed, including resources created later. We recommend that you list the allowed resources in Resource instead.',
      listKey(s.notResource));
  }
}
