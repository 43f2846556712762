import { compilePolicy, evaluate, type CompiledPolicy, type Decision, type EvalPrincipal, type MatchedStatement, type PolicySet } from '../../../policy/index.js';
import type { Handler, RequestContext } from '../../types.js';
import { invalidInput } from '../../../identity/errors.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import {
  accountInArn,
  callerAccount,
  compileInputPolicy,
  contextFromEntries,
  ownerAccount,
  RESOURCE_HANDLING_OPTIONS,
  type ContextEntry,
} from './simulate-inputs.js';
import { simulationEntity, type SourcePolicy } from './simulate-sources.js';

/**
 * SimulatePrincipalPolicy and SimulateCustomPolicy, answered by the engine that enforces
 * (src/policy evaluate): each action is paired with each resource and decided with the
 * policies given, the context entries given and nothing else — the simulator, like
 * AWS's, fills in no context key itself, so a key the policies read and the caller did
 * not supply is reported in MissingContextValues.
 *
 * Results follow what AWS returns: SourcePolicyId names the policy (PolicyInputList.N,
 * PermissionsBoundaryPolicyInputList.1, ResourcePolicy, "user_alice_Inline", a managed
 * policy's name), SourcePolicyType is "IAM Policy" or "Resource Policy", and statement
 * positions are where AWS's parser puts them: StartPosition just after the token before
 * the statement (the "[" or the previous statement's "}"; for a lone statement object,
 * just after its "{"), EndPosition just after its closing "}".
 */

interface SimPolicy {
  id: string;
  type: 'IAM Policy' | 'Resource Policy';
  compiled: CompiledPolicy;
}

interface Simulation {
  principal: EvalPrincipal;
  identity: SimPolicy[];
  boundary?: SimPolicy;
  resourcePolicy?: SimPolicy;
  /** Owner of resources whose ARN names no account (ResourceOwner), when given. */
  resourceOwner?: string;
  context: Record<string, string | string[]>;
  /** Compiled-policy name → the policy, to name matched statements. */
  byName: Map<string, SimPolicy>;
}

interface SimulateInput extends PageRequest {
  ActionNames: string[];
  ResourceArns?: string[];
  PolicyInputList?: string[];
  PermissionsBoundaryPolicyInputList?: string[];
  ResourcePolicy?: string;
  ResourceOwner?: string;
  CallerArn?: string;
  ContextEntries?: ContextEntry[];
  ResourceHandlingOption?: string;
}

/** Lets a resource-side check stand alone: the identity side allows everything. */
const ALLOW_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';

// ---------------------------------------------------------------------------------------
// Building the simulation

class PolicyList {
  readonly byName = new Map<string, SimPolicy>();
  add(id: string, text: string, kind: 'identity' | 'boundary' | 'resource'): SimPolicy {
    // A unique compiled name per policy: two sources may share an id (an AWS and a customer policy of one name).
    const name = `${this.byName.size}:${id}`;
    const p: SimPolicy = { id, type: kind === 'resource' ? 'Resource Policy' : 'IAM Policy', compiled: compileInputPolicy(text, kind, name) };
    this.byName.set(name, p);
    return p;
  }
}

function checkCommonInputs(input: SimulateInput): void {
  if (input.PermissionsBoundaryPolicyInputList && input.PermissionsBoundaryPolicyInputList.length > 1) {
    throw invalidInput('PermissionsBoundaryPolicyInputList accepts one permissions boundary policy.');
  }
  if (input.ResourceHandlingOption !== undefined && !RESOURCE_HANDLING_OPTIONS.has(input.ResourceHandlingOption)) {
    throw invalidInput(`Invalid ResourceHandlingOption: ${input.ResourceHandlingOption}. Valid values: ${[...RESOURCE_HANDLING_OPTIONS].join(', ')}.`);
  }
}

function addInputs(list: PolicyList, input: SimulateInput, sim: Simulation): void {
  (input.PolicyInputList ?? []).forEach((text, i) => sim.identity.push(list.add(`PolicyInputList.${i + 1}`, text, 'identity')));
  const boundary = input.PermissionsBoundaryPolicyInputList?.[0];
  // A boundary given replaces the entity's own.
  if (boundary !== undefined) sim.boundary = list.add('PermissionsBoundaryPolicyInputList.1', boundary, 'boundary');
  if (input.ResourcePolicy !== undefined) sim.resourcePolicy = list.add('ResourcePolicy', input.ResourcePolicy, 'resource');
  if (input.ResourceOwner !== undefined) sim.resourceOwner = ownerAccount(input.ResourceOwner);
}

function userPrincipal(arn: string, accountId: string): EvalPrincipal {
  return { type: 'user', arn, accountId };
}

function customSimulation(ctx: RequestContext, input: SimulateInput): Simulation {
  checkCommonInputs(input);
  if (input.ResourcePolicy !== undefined && input.CallerArn === undefined) {
    throw invalidInput('CallerArn must be specified when ResourcePolicy is specified.');
  }
  const principal = input.CallerArn !== undefined ? userPrincipal(input.CallerArn, callerAccount(input.CallerArn)) : userPrincipal('', ctx.accountId);
  const list = new PolicyList();
  const sim: Simulation = { principal, identity: [], context: contextFromEntries(input.ContextEntries), byName: list.byName };
  addInputs(list, input, sim);
  return sim;
}

function principalSimulation(ctx: RequestContext, input: SimulateInput & { PolicySourceArn: string }): Simulation {
  checkCommonInputs(input);
  const entity = simulationEntity(ctx.store, ctx.accountId, input.PolicySourceArn);
  let principal: EvalPrincipal;
  if (input.CallerArn !== undefined) principal = userPrincipal(input.CallerArn, callerAccount(input.CallerArn));
  else if (entity.kind === 'role') principal = { type: 'assumed-role', arn: entity.arn, roleArn: entity.arn, accountId: entity.accountId };
  else if (entity.kind === 'user') principal = userPrincipal(entity.arn, entity.accountId);
  else if (input.ResourcePolicy !== undefined) throw invalidInput('CallerArn must be specified when ResourcePolicy is specified and PolicySourceArn is a group.');
  else principal = userPrincipal('', entity.accountId);
  const list = new PolicyList();
  const add = (p: SourcePolicy, kind: 'identity' | 'boundary') => list.add(p.id, p.document, kind);
  const identity = entity.identity.map((p) => add(p, 'identity'));
  const sim: Simulation = { principal, identity, context: contextFromEntries(input.ContextEntries), byName: list.byName };
  if (entity.boundary) sim.boundary = add(entity.boundary, 'boundary');
  addInputs(list, input, sim);
  return sim;
}

// ---------------------------------------------------------------------------------------
// Results

interface Position {
  Line: number;
  Column: number;
}

function statementPositions(p: CompiledPolicy, index: number): { StartPosition: Position; EndPosition: Position } {
  const policy = p.policy;
  const stmt = policy.statements[index];
  let start = { line: stmt.span.start.line, column: stmt.span.start.column + 1 };
  if (policy.statementIsArray) {
    // Just after "[" for the first statement, after the previous statement's "}" for the others.
    start = index === 0 ? { line: policy.statementSpan.start.line, column: policy.statementSpan.start.column + 1 } : policy.statements[index - 1].span.end;
  }
  return {
    StartPosition: { Line: start.line, Column: start.column },
    EndPosition: { Line: stmt.span.end.line, Column: stmt.span.end.column },
  };
}

function matchedStatements(sim: Simulation, matched: readonly MatchedStatement[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const m of matched) {
    const source = sim.byName.get(m.policyName);
    if (!source) continue;
    out.push({ SourcePolicyId: source.id, SourcePolicyType: source.type, ...statementPositions(source.compiled, m.statementIndex) });
  }
  return out;
}

function decide(sim: Simulation, action: string, resource: string, resourceAccount: string, set: PolicySet): Decision {
  return evaluate({ action, resource, principal: sim.principal, resourceAccount, context: sim.context, deriveKeys: false }, set);
}

/** The principal's side alone: its identity policies and boundary, as if the resource were its own. */
function principalSideDecision(sim: Simulation, action: string, resource: string): Decision {
  const set: PolicySet = { identity: sim.identity.map((p) => p.compiled) };
  if (sim.boundary) set.boundary = sim.boundary.compiled;
  return decide(sim, action, resource, sim.principal.accountId, set);
}

/** The resource policy's side alone, for a resource in another account. */
function resourceSideDecision(sim: Simulation, action: string, resource: string, resourceAccount: string): Decision['decision'] {
  if (!sim.resourcePolicy) return 'implicitDeny';
  const allowAll = compilePolicy(ALLOW_ALL, { kind: 'identity', name: 'simulated identity side' });
  return decide(sim, action, resource, resourceAccount, { identity: [allowAll], resource: [sim.resourcePolicy.compiled] }).decision;
}

function allowedByBoundary(sim: Simulation, action: string, resource: string): boolean {
  const set: PolicySet = { identity: [sim.boundary!.compiled] };
  return decide(sim, action, resource, sim.principal.accountId, set).decision === 'allowed';
}

function simulateOne(sim: Simulation, action: string, resource: string): Record<string, unknown> {
  const resourceAccount = accountInArn(resource) ?? sim.resourceOwner ?? sim.principal.accountId;
  const set: PolicySet = { identity: sim.identity.map((p) => p.compiled) };
  if (sim.boundary) set.boundary = sim.boundary.compiled;
  if (sim.resourcePolicy) set.resource = [sim.resourcePolicy.compiled];
  const d = decide(sim, action, resource, resourceAccount, set);
  const matched = matchedStatements(sim, d.matched);
  const boundaryDetail = sim.boundary ? { AllowedByPermissionsBoundary: allowedByBoundary(sim, action, resource) } : undefined;

  const result: Record<string, unknown> = { EvalActionName: action, EvalResourceName: resource, EvalDecision: d.decision, MatchedStatements: matched };
  if (resource === '*') {
    result.MissingContextValues = d.missingContextKeys;
    if (boundaryDetail) result.PermissionsBoundaryDecisionDetail = boundaryDetail;
    return result;
  }
  // With named resources AWS reports missing keys per resource, and details of cross-account decisions.
  const details: Record<string, string> = {};
  if (resourceAccount !== sim.principal.accountId) {
    details['IAM Policy'] = principalSideDecision(sim, action, resource).decision;
    details['Resource Policy'] = resourceSideDecision(sim, action, resource, resourceAccount);
  }
  const specific: Record<string, unknown> = {
    EvalResourceName: resource,
    EvalResourceDecision: d.decision,
    MatchedStatements: matched,
    MissingContextValues: d.missingContextKeys,
    EvalDecisionDetails: details,
  };
  if (boundaryDetail) specific.PermissionsBoundaryDecisionDetail = boundaryDetail;
  result.MissingContextValues = [];
  result.EvalDecisionDetails = details;
  if (boundaryDetail) result.PermissionsBoundaryDecisionDetail = boundaryDetail;
  result.ResourceSpecificResults = [specific];
  return result;
}

/** Every (action, resource) pair's result, actions first; then one page of them. */
export function runSimulation(sim: Simulation, input: SimulateInput): Record<string, unknown> {
  const resources = input.ResourceArns && input.ResourceArns.length > 0 ? input.ResourceArns : ['*'];
  const all: Record<string, unknown>[] = [];
  for (const action of input.ActionNames) for (const resource of resources) all.push(simulateOne(sim, action, resource));
  const { items, more } = paginate(all, input);
  return { EvaluationResults: items, ...more };
}

const simulateCustomPolicy: Handler = (ctx, input: SimulateInput & { PolicyInputList: string[] }) => runSimulation(customSimulation(ctx, input), input);

const simulatePrincipalPolicy: Handler = (ctx, input: SimulateInput & { PolicySourceArn: string }) =>
  runSimulation(principalSimulation(ctx, input), input);

export const simulationHandlers: Record<string, Handler> = {
  SimulateCustomPolicy: simulateCustomPolicy,
  SimulatePrincipalPolicy: simulatePrincipalPolicy,
};
