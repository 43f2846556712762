import { useEffect, useRef, useState } from 'preact/hooks';
import { awsJson, decisions, type DecisionEvent } from '../api.js';
import { ErrorBox } from '../ui.js';

/** The decision log, live: every request to the account, who, what, and why it was allowed or denied. */
export function Decisions() {
  const [events, setEvents] = useState<DecisionEvent[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [principal, setPrincipal] = useState('');
  const [action, setAction] = useState('');
  const [deniedOnly, setDeniedOnly] = useState(false);
  const [live, setLive] = useState(true);
  const since = useRef(0);
  useEffect(() => {
    let stop = false;
    const poll = async () => {
      try {
        const fresh = await decisions(since.current);
        if (fresh.length) {
          since.current = fresh[fresh.length - 1].seq;
          setEvents((old) => [...old, ...fresh].slice(-2000));
        }
        setError(null);
      } catch (e) {
        setError(e);
      }
      if (!stop && live) setTimeout(poll, 1500);
    };
    poll();
    return () => { stop = true; };
  }, [live]);
  // Before the server's start (or beyond the live log's 2,000): CloudTrail's event history, kept on disk.
  const [history, setHistory] = useState<DecisionEvent[]>([]);
  const [historyToken, setHistoryToken] = useState<string | undefined>(undefined);
  const [historyDone, setHistoryDone] = useState(false);
  const [loadingHistory, setLoadingHistory] = useState(false);
  const loadHistory = async () => {
    setLoadingHistory(true);
    try {
      const oldest = Math.min(...events.map((e) => e.time), Date.now());
      const page = await awsJson<{ Events?: TrailEvent[]; NextToken?: string }>('cloudtrail', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents', {
        MaxResults: 50, ...(historyToken ? { NextToken: historyToken } : { EndTime: Math.ceil(oldest / 1000) }),
      });
      // EndTime is in whole seconds: rounded up (an event earlier in that second is not lost),
      // then what the live log already shows is left out by its request ID.
      const shownIds = new Set(events.map((e) => e.requestId));
      const fresh = (page.Events ?? []).map(fromTrail).filter((e) => !shownIds.has(e.requestId));
      setHistory((old) => [...old, ...fresh]);
      setHistoryToken(page.NextToken);
      setHistoryDone(!page.NextToken);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingHistory(false);
    }
  };
  const keep = (e: DecisionEvent) => (!principal || e.principal.toLowerCase().includes(principal.toLowerCase()))
    && (!action || `${e.action ?? ''} ${e.service}:${e.operation}`.toLowerCase().includes(action.toLowerCase()))
    && (!deniedOnly || e.decision === 'explicitDeny' || e.decision === 'implicitDeny' || e.decision === 'denied');
  const earlier = history.filter(keep);
  const shown = events
    .filter(keep)
    .slice()
    .reverse()
    .slice(0, 500);
  return (
    <section>
      <h1>Decisions</h1>
      <p>Every request to this account as the policy engine decided it, newest first. Expand a line for its explanation.</p>
      <div class="filters">
        <label>Principal <input type="search" value={principal} onInput={(e) => setPrincipal((e.target as HTMLInputElement).value)} /></label>
        <label>Action <input type="search" value={action} onInput={(e) => setAction((e.target as HTMLInputElement).value)} /></label>
        <label class="check"><input type="checkbox" checked={deniedOnly} onChange={(e) => setDeniedOnly((e.target as HTMLInputElement).checked)} /> Denied only</label>
        <label class="check"><input type="checkbox" checked={live} onChange={(e) => setLive((e.target as HTMLInputElement).checked)} /> Live</label>
      </div>
      <ErrorBox error={error} />
      <ol class="decisions" aria-label="Decisions">
        {shown.map((e) => <Line key={e.seq} e={e} />)}
      </ol>
      <h2>Earlier</h2>
      <p class="muted">The live log holds what happened since this server started (its last 2,000 requests). Earlier requests come from CloudTrail's event history, kept on disk: who, what, and the error, without the engine's full explanation.</p>
      {earlier.length > 0 && (
        <ol class="decisions" aria-label="Earlier decisions (CloudTrail)">
          {earlier.map((e) => <Line key={e.requestId} e={e} />)}
        </ol>
      )}
      {!historyDone
        ? <button type="button" onClick={loadHistory} disabled={loadingHistory}>{history.length ? 'Load more from CloudTrail' : 'Load earlier events from CloudTrail'}</button>
        : <p class="muted">{history.length ? 'No earlier events.' : 'CloudTrail has no earlier events.'}</p>}
    </section>
  );
}

interface TrailEvent { EventId: string; EventName: string; EventTime: number; EventSource: string; CloudTrailEvent?: string }

/** A CloudTrail event as a line of the log: denied when its error says so. */
function fromTrail(t: TrailEvent): DecisionEvent {
  let record: { userIdentity?: { arn?: string; type?: string }; errorCode?: string; errorMessage?: string; requestID?: string; eventID?: string } = {};
  try {
    record = JSON.parse(t.CloudTrailEvent ?? '{}') as typeof record;
  } catch {
    // kept as the summary says
  }
  const service = t.EventSource.replace(/\.amazonaws\.com$/, '');
  const denied = /AccessDenied|UnauthorizedOperation|Unauthorized/.test(record.errorCode ?? '');
  return {
    seq: 0,
    time: Number(t.EventTime) * 1000,
    requestId: record.requestID ?? t.EventId,
    principal: record.userIdentity?.arn ?? record.userIdentity?.type ?? '-',
    service,
    operation: t.EventName,
    action: `${service}:${t.EventName}`,
    decision: denied ? 'denied' : record.errorCode ? 'error' : 'allowed',
    status: denied ? 403 : record.errorCode ? 400 : 200,
    errorCode: record.errorCode,
    reason: record.errorMessage ?? (record.errorCode ? undefined : 'Recorded by CloudTrail (the engine\'s explanation is kept in the live log only).'),
  };
}

function Line({ e }: { e: DecisionEvent }) {
  const at = new Date(e.time).toISOString();
  // Today's lines show the time; older ones (CloudTrail's) the date too.
  const when = at.slice(0, 10) === new Date().toISOString().slice(0, 10) ? at.slice(11, 19) : `${at.slice(0, 10)} ${at.slice(11, 19)}`;
  return (
    <li class={e.decision === 'denied' ? 'implicitDeny' : e.decision}>
      <details>
        <summary>
          <time dateTime={at}>{when}</time> <span class="decision">{e.decision}</span> <span class="status">{e.status}</span>{' '}
          <code>{e.action ?? `${e.service}:${e.operation}`}</code> by <code>{e.principal}</code>
        </summary>
        <dl>
          <dt>Operation</dt><dd>{e.service}:{e.operation}</dd>
          {e.resource && <><dt>Resource</dt><dd><code>{e.resource}</code></dd></>}
          {e.errorCode && <><dt>Error</dt><dd>{e.errorCode}</dd></>}
          <dt>Why</dt><dd>{e.reason ?? 'Start iamlocal with a log format other than none to keep explanations of allowed requests.'}</dd>
          <dt>Request ID</dt><dd><code>{e.requestId}</code></dd>
        </dl>
      </details>
    </li>
  );
}
