import { compilePolicy, evaluate, type CompiledPolicy, type Decision, type MatchedStatement, type PolicySet } from '../../../policy/index.js';
import { operation } from '../../operation.js';
import { accountWide } from '../shared/account-wide.js';
import { listPage } from '../shared/paginate.js';
import { accountInArn } from './simulate-inputs.js';
import { customSimulation, principalSimulation, type SimulateInput, type Simulation } from './simulation.js';
import { onPolicySource } from './source-resource.js';

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

/** Lets a resource-side check stand alone: the identity side allows everything. */
const ALLOW_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';

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
export function runSimulation(sim: Simulation, input: SimulateInput) {
  const resources = input.ResourceArns && input.ResourceArns.length > 0 ? input.ResourceArns : ['*'];
  const all: Record<string, unknown>[] = [];
  for (const action of input.ActionNames) for (const resource of resources) all.push(simulateOne(sim, action, resource));
  return listPage('EvaluationResults', all, input);
}

export const SimulateCustomPolicy = operation({
  writes: false,
  authorize: accountWide('iam:SimulateCustomPolicy'),
  run: (ctx, input: SimulateInput & { PolicyInputList: string[] }) => runSimulation(customSimulation(ctx, input), input),
});

export const SimulatePrincipalPolicy = operation({
  writes: false,
  authorize: onPolicySource('iam:SimulatePrincipalPolicy'),
  run: (ctx, input: SimulateInput & { PolicySourceArn: string }) => runSimulation(principalSimulation(ctx, input), input),
});
