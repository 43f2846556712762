import type { LogFormat } from './config.js';

/** One audit event per request: who, what, the decision and, for a denial, why. */
export interface DecisionEvent {
  time: number;
  requestId: string;
  principal: string;
  service: string;
  operation: string;
  action?: string;
  resource?: string;
  decision: 'allowed' | 'explicitDeny' | 'implicitDeny' | 'notChecked' | 'error';
  /** Set in audit mode when a denial was let through. */
  audited?: boolean;
  status: number;
  errorCode?: string;
  reason?: string;
}

export type DecisionSink = (e: DecisionEvent) => void;

/** Writes events to stderr as text lines or JSON lines. */
export function decisionLog(format: LogFormat, write: (line: string) => void = (l) => process.stderr.write(l)): DecisionSink {
  if (format === 'none') return () => {};
  if (format === 'json') return (e) => write(JSON.stringify(e) + '\n');
  return (e) => {
    let line = `${new Date(e.time).toISOString()} ${e.status} ${e.principal} ${e.service}:${e.operation} ${e.decision}`;
    if (e.audited) line += ' (audit: let through)';
    if (e.reason) line += `: ${e.reason}`;
    else if (e.action) line += `: ${e.action} on ${e.resource}`;
    if (e.errorCode && e.decision !== 'error') line += ` [${e.errorCode}]`;
    write(line + '\n');
  };
}
