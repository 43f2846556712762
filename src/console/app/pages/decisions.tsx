import { useEffect, useRef, useState } from 'preact/hooks';
import { decisions, type DecisionEvent } from '../api.js';
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
  const shown = events
    .filter((e) => (!principal || e.principal.toLowerCase().includes(principal.toLowerCase()))
      && (!action || `${e.action ?? ''} ${e.service}:${e.operation}`.toLowerCase().includes(action.toLowerCase()))
      && (!deniedOnly || e.decision === 'explicitDeny' || e.decision === 'implicitDeny'))
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
        {shown.map((e) => (
          <li key={e.seq} class={e.decision}>
            <details>
              <summary>
                <time>{new Date(e.time).toISOString().slice(11, 19)}</time> <span class="decision">{e.decision}</span> <span class="status">{e.status}</span>{' '}
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
        ))}
      </ol>
    </section>
  );
}
