import type { WireRequest, WireResponse } from '../protocol/errors.js';
import { answerMetadata } from '../services/ec2/index.js';
import type { App } from './app.js';
import { serverNow } from './clock.js';
import { whenDurable } from './pipeline.js';

/**
 * /_iamlocal/imds/<instance-id>/latest/… : each instance's metadata service on the
 * server's own port, unauthenticated as IMDS is (anyone on the instance reaches it).
 * botocore and the aws CLI keep a path in AWS_EC2_METADATA_SERVICE_ENDPOINT; the SDK for
 * JavaScript keeps only host and port, so `iamlocal run-as` serves the instance at the
 * root of a port of its own (src/cli/imds-proxy.ts). Answered in a write (credentials
 * may be issued), once durable.
 */
export const IMDS_PREFIX = '/_iamlocal/imds/';

export function handleImds(app: App, req: WireRequest): WireResponse | Promise<WireResponse> {
  const rest = req.path.slice(IMDS_PREFIX.length);
  const slash = rest.indexOf('/');
  const instanceId = decodeURIComponent(slash === -1 ? rest : rest.slice(0, slash));
  const path = slash === -1 ? '' : rest.slice(slash + 1);
  const now = serverNow(app);
  const answer = app.store.write(() => answerMetadata(app.store, instanceId, { method: req.method, path, headers: req.headers }, now));
  app.log({ time: now, requestId: '-', principal: '-', service: 'imds', operation: `${req.method} ${path}`, decision: 'notChecked', status: answer.status, resource: instanceId });
  const response: WireResponse = { status: answer.status, headers: answer.headers, body: answer.body };
  return whenDurable(app, response, () => ({ status: 500, headers: { 'content-type': 'text/plain' }, body: 'iamlocal: the metadata answer could not be made durable\n' }));
}
