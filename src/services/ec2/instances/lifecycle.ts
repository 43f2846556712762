import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { checkDryRun, ec2Errors } from '../shared/errors.js';
import { instanceEntry, requireInstance, stateOf, type InstanceRow } from './instance-rows.js';
import { stateShape, type StateName } from './states.js';
import { forgetInstanceCredentials } from '../imds/credentials.js';
import { deleteAllTags } from '../tags/tag-rows.js';

/**
 * Start, Stop, Reboot and Terminate: each instance moves to a passing state (pending,
 * stopping, shutting-down) at once and on to its next one by the clock (states.ts).
 * A request naming several instances changes all of them or none.
 */
interface Change {
  /** From which current states the action applies; others are IncorrectInstanceState (unless `same`). */
  from: StateName[];
  /** Current states where the action does nothing and answers success. */
  same: StateName[];
  to: StateName;
  verb: string;
  reason?: (ctx: RequestContext) => string;
}

function changeStates(ctx: RequestContext, ids: string[], change: Change, dryRun: boolean | undefined) {
  if (ids.length === 0) throw ec2Errors.missingParameter('InstanceId');
  const rows: InstanceRow[] = ids.map((id) => requireInstance(ctx, id));
  const plan = rows.map((row) => {
    const current = stateOf(row, ctx.now).name;
    if (!change.from.includes(current) && !change.same.includes(current)) throw ec2Errors.incorrectInstanceState(row.instance_id, change.verb);
    return { row, current };
  });
  checkDryRun({ DryRun: dryRun });
  const update = ctx.store.prepare('UPDATE ec2_instances SET state = ?, state_since = ?, state_reason = COALESCE(?, state_reason), launched_at = ? WHERE account_id = ? AND instance_id = ?');
  return plan.map(({ row, current }) => {
    if (change.same.includes(current)) return { InstanceId: row.instance_id, CurrentState: stateShape(current), PreviousState: stateShape(current) };
    const launchedAt = change.to === 'pending' ? ctx.now : row.launched_at;
    update.run(change.to, ctx.now, change.reason?.(ctx) ?? null, launchedAt, ctx.accountId, row.instance_id);
    // The instance's role credentials are no longer handed out: the next start gets new ones.
    if (change.to !== 'pending') forgetInstanceCredentials(ctx.store, ctx.accountId, row.instance_id);
    // Its root volume and primary interface go with it (DeleteOnTermination), and their tags.
    if (change.to === 'shutting-down') for (const id of [row.volume_id, row.eni_id]) deleteAllTags(ctx.store, ctx.accountId, id);
    return { InstanceId: row.instance_id, CurrentState: stateShape(change.to), PreviousState: stateShape(current) };
  });
}

/** "User initiated (2026-12-02 19:00:00 GMT)", as EC2 words StateTransitionReason. */
function userInitiated(ctx: RequestContext): string {
  return `User initiated (${new Date(ctx.now).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' GMT')})`;
}

interface IdsInput {
  InstanceIds: string[];
  DryRun?: boolean;
}

const entries = (action: string) => (ctx: RequestContext, input: IdsInput) => input.InstanceIds.map((id) => instanceEntry(ctx, action, id));

export const StartInstances = operation({
  writes: true,
  authorize: entries('ec2:StartInstances'),
  run: (ctx, input: IdsInput) => ({
    StartingInstances: changeStates(ctx, input.InstanceIds, { from: ['stopped'], same: ['pending', 'running'], to: 'pending', verb: 'started', reason: () => '' }, input.DryRun),
  }),
});

export const StopInstances = operation({
  writes: true,
  authorize: entries('ec2:StopInstances'),
  run: (ctx, input: IdsInput) => ({
    StoppingInstances: changeStates(ctx, input.InstanceIds, { from: ['running'], same: ['stopping', 'stopped'], to: 'stopping', verb: 'stopped', reason: userInitiated }, input.DryRun),
  }),
});

export const TerminateInstances = operation({
  writes: true,
  authorize: entries('ec2:TerminateInstances'),
  run: (ctx, input: IdsInput) => ({
    TerminatingInstances: changeStates(
      ctx, input.InstanceIds, { from: ['pending', 'running', 'stopping', 'stopped'], same: ['shutting-down', 'terminated'], to: 'shutting-down', verb: 'terminated', reason: userInitiated },
      input.DryRun,
    ),
  }),
});

export const RebootInstances = operation({
  writes: false,
  authorize: entries('ec2:RebootInstances'),
  run: (ctx, input: IdsInput) => {
    for (const id of input.InstanceIds) {
      const state = stateOf(requireInstance(ctx, id), ctx.now).name;
      if (state !== 'running' && state !== 'pending') throw ec2Errors.incorrectInstanceState(id, 'rebooted');
    }
    checkDryRun(input);
    return {};
  },
});
