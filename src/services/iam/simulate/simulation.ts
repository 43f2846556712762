import type { CompiledPolicy, EvalPrincipal } from '../../../policy/index.js';
import type { RequestContext } from '../../types.js';
import { invalidInput } from '../../../identity/errors.js';
import type { PageRequest } from '../shared/paginate.js';
import {
  callerAccount,
  compileInputPolicy,
  contextFromEntries,
  ownerAccount,
  RESOURCE_HANDLING_OPTIONS,
  type ContextEntry,
} from './simulate-inputs.js';
import { simulationEntity, type SourcePolicy } from './simulate-sources.js';

/**
 * The simulation a SimulateCustomPolicy or SimulatePrincipalPolicy request describes: the
 * simulated caller, the policies (given, or read from the PolicySourceArn entity), each
 * compiled once under a unique name so matched statements can be traced back to it, and
 * the context entries.
 */

export interface SimPolicy {
  id: string;
  type: 'IAM Policy' | 'Resource Policy';
  compiled: CompiledPolicy;
}

export interface Simulation {
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

export interface SimulateInput extends PageRequest {
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

export function customSimulation(ctx: RequestContext, input: SimulateInput): Simulation {
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

export function principalSimulation(ctx: RequestContext, input: SimulateInput & { PolicySourceArn: string }): Simulation {
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
