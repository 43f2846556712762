import { Context, evaluateRecording, type Decision, type EvalRequest, type PolicySet } from './evaluate.js';

/**
 * Remembers decisions, exactly. A decision is a function of the policy set, the request's
 * action, resource, principal and resource account, and the context values the
 * evaluation looked up, nothing else. So each remembered decision keeps the lookups it
 * made; a later request with the same set and request fields reuses it when each of those
 * keys has the same value again. aws:CurrentTime changing every second only matters to
 * a policy that reads it.
 *
 * The set is held weakly and by identity: callers hand in the same PolicySet object
 * while its policies are unchanged (a new object once they change). Decisions handed
 * out are shared and frozen.
 */
export class DecisionMemo {
  private readonly bySet = new WeakMap<PolicySet, Map<string, Remembered>>();

  constructor(private readonly maxPerSet = 256) {}

  evaluate(req: EvalRequest, set: PolicySet): Decision {
    let memo = this.bySet.get(set);
    if (memo === undefined) {
      memo = new Map();
      this.bySet.set(set, memo);
    }
    const key = requestKey(req);
    const hit = memo.get(key);
    if (hit !== undefined && sameReads(hit.reads, new Context(req))) return hit.decision;
    const reads: unknown[] = [];
    const decision = freezeDecision(evaluateRecording(req, set, reads));
    if (memo.size >= this.maxPerSet) memo.clear();
    memo.set(key, { reads, decision });
    return decision;
  }
}

interface Remembered {
  /** keyLower, key, value, … as the evaluation looked them up. */
  reads: unknown[];
  decision: Decision;
}

/** Everything of the request but its context. */
function requestKey(req: EvalRequest): string {
  const p = req.principal;
  return [
    req.action, req.resource, req.resourceAccount, req.deriveKeys,
    p.type, p.arn, p.accountId, p.roleArn, p.serviceName, p.userArn, p.identityProvider, p.canonicalUserId,
  ].join('\u0000');
}

function sameReads(reads: unknown[], ctx: Context): boolean {
  for (let i = 0; i < reads.length; i += 3) {
    if (!sameValue(ctx.value(reads[i] as string, reads[i + 1] as string), reads[i + 2])) return false;
  }
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function freezeDecision(d: Decision): Decision {
  Object.freeze(d.matched);
  Object.freeze(d.missingContextKeys);
  return Object.freeze(d);
}
