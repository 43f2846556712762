/**
 * The two clocks SigV4 speaks: the ISO 8601 basic format of X-Amz-Date ("20130524T000000Z")
 * and the HTTP date of the Date header ("Fri, 24 May 2013 00:00:00 GMT").
 */

/** How far a request's time may be from ours, either way (AWS: 15 minutes). */
export const MAX_SKEW_MS = 15 * 60 * 1000;

/** Epoch ms of "YYYYMMDDTHHMMSSZ", or NaN when the text is not exactly that. */
export function parseAmzDate(text: string): number {
  if (text.length !== 16 || text.charCodeAt(8) !== 84 /* T */ || text.charCodeAt(15) !== 90 /* Z */) return NaN;
  const year = digits(text, 0, 4);
  const month = digits(text, 4, 2);
  const day = digits(text, 6, 2);
  const hour = digits(text, 9, 2);
  const minute = digits(text, 11, 2);
  const second = digits(text, 13, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 || hour < 0 || minute < 0 || second < 0) {
    return NaN;
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 February over into March; a real date does not.
  return new Date(ms).getUTCDate() === day ? ms : NaN;
}

/** Epoch ms of a Date header: the ISO basic format or an HTTP date; NaN when neither. */
export function parseHeaderDate(text: string): number {
  const iso = parseAmzDate(text);
  if (!Number.isNaN(iso)) return iso;
  // HTTP dates name a weekday and a zone ("GMT", "+0900"); Date.parse reads RFC 1123 and 850.
  if (!/^[A-Za-z]{3},? /.test(text)) return NaN;
  return Date.parse(text);
}

/** "YYYYMMDDTHHMMSSZ" of an epoch ms (seconds truncated). */
export function formatAmzDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}

/** "2013-05-24T00:00:00Z": the form S3 uses for ServerTime and Expires. */
export function formatIsoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function digits(text: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
