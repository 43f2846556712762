import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

/**
 * The hashing thread (started by threaded-hash.ts). Why a thread: a large upload's MD5
 * (S3's ETag) costs ~1.6 s of CPU per GiB here (OpenSSL, ~620 MiB/s on one core), as
 * much as reading the socket and writing the file together; on the event loop it halves
 * a PUT's speed and stalls every other request meanwhile. Here it runs on the other core
 * while the event loop reads the socket and the thread pool writes the file.
 *
 * Messages, in order per hash id: start (algorithm), update (a view of shared memory the
 * sender leaves untouched until acknowledged), digest, drop. Each update and digest is
 * answered with { id } (and the digest).
 */
export type HashRequest =
  | { op: 'start'; id: number; algorithm: string }
  | { op: 'update'; id: number; data: Uint8Array }
  | { op: 'digest'; id: number }
  | { op: 'drop'; id: number };

export interface HashReply {
  id: number;
  digest?: Uint8Array;
  error?: string;
}

const hashes = new Map<number, Hash>();
const port = parentPort!;

port.on('message', (msg: HashRequest) => {
  try {
    switch (msg.op) {
      case 'start':
        hashes.set(msg.id, createHash(msg.algorithm));
        return;
      case 'update':
        hashes.get(msg.id)!.update(msg.data);
        return port.postMessage({ id: msg.id } satisfies HashReply);
      case 'digest': {
        const digest = hashes.get(msg.id)!.digest();
        hashes.delete(msg.id);
        return port.postMessage({ id: msg.id, digest } satisfies HashReply);
      }
      case 'drop':
        hashes.delete(msg.id);
    }
  } catch (err) {
    hashes.delete(msg.id);
    if (msg.op !== 'drop' && msg.op !== 'start') port.postMessage({ id: msg.id, error: String(err) } satisfies HashReply);
  }
});
