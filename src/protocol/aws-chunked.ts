import { AwsError } from './errors.js';

/** One frame of an aws-chunked body: its data and, for signed streams, its chunk signature. */
export interface AwsChunk {
  data: Buffer;
  signature?: string;
}

export interface AwsChunkedBody {
  chunks: AwsChunk[];
  /** The payload with the framing removed. */
  payload: Buffer;
  /** Trailing headers (lower-cased names), e.g. x-amz-checksum-crc32. */
  trailers: Record<string, string>;
  /** Signature on the trailer block (STREAMING-…-PAYLOAD-TRAILER signed streams). */
  trailerSignature?: string;
}

/** True when the request body uses S3's aws-chunked framing (Content-Encoding may list others too). */
export function isAwsChunked(headers: Record<string, string>): boolean {
  const encoding = headers['content-encoding'];
  return encoding !== undefined && encoding.split(',').some((e) => e.trim().toLowerCase() === 'aws-chunked');
}

function incomplete(): AwsError {
  return new AwsError('IncompleteBody', 'The request body terminated unexpectedly', 400);
}

/**
 * Splits an aws-chunked body: `hex-size[;chunk-signature=sig]\r\n data \r\n` … a zero-size
 * chunk, then optional trailer lines and a blank line. Signatures are returned, not checked:
 * verifying them is authentication's job.
 */
export function decodeAwsChunked(body: Buffer): AwsChunkedBody {
  const chunks: AwsChunk[] = [];
  let pos = 0;
  const line = (): string => {
    const end = body.indexOf('\r\n', pos);
    if (end === -1) throw incomplete();
    const text = body.toString('latin1', pos, end);
    pos = end + 2;
    return text;
  };
  for (;;) {
    const header = line();
    const [sizeText, ...extensions] = header.split(';');
    const size = Number.parseInt(sizeText.trim(), 16);
    if (!/^[0-9a-fA-F]+$/.test(sizeText.trim())) throw incomplete();
    const sig = extensions.find((e) => e.startsWith('chunk-signature='));
    const signature = sig?.slice('chunk-signature='.length);
    if (size === 0) {
      chunks.push({ data: Buffer.alloc(0), signature });
      break;
    }
    if (pos + size + 2 > body.length) throw incomplete();
    chunks.push({ data: body.subarray(pos, pos + size), signature });
    pos += size;
    if (body.toString('latin1', pos, pos + 2) !== '\r\n') throw incomplete();
    pos += 2;
  }
  const trailers: Record<string, string> = {};
  let trailerSignature: string | undefined;
  while (pos < body.length) {
    const text = line();
    if (text === '') break;
    const colon = text.indexOf(':');
    if (colon === -1) continue;
    const name = text.slice(0, colon).trim().toLowerCase();
    const value = text.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') trailerSignature = value;
    else trailers[name] = value;
  }
  return { chunks, payload: Buffer.concat(chunks.map((c) => c.data)), trailers, trailerSignature };
}
