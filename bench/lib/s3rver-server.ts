/**
 * s3rver (a Node S3 emulator, MIT, a devDependency) on a free port, storing under the
 * folder given: the point of comparison bench/s3.ts starts beside iamlocal.
 *   node dist/bench/lib/s3rver-server.js <directory>
 * It checks SigV4 signatures made with its own credentials (S3RVER / S3RVER).
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

interface S3rverLike {
  run(): Promise<AddressInfo>;
}
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: Record<string, unknown>) => S3rverLike;

const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.argv[2] });
const { port } = await server.run();
console.log(`listening on http://127.0.0.1:${port}`);
