/**
 * The protocol layer: which service a request is for, its operation and typed input, and
 * the wire form of outputs and errors — all driven by the vendored botocore models.
 *
 * Handlers see input keyed by the model's member names with wire types converted:
 * integer/long/float/double → number, boolean → boolean, timestamp → Date, blob → Buffer,
 * list → array, map → object; members not sent are absent. They return output the same way
 * (timestamps as Date, epoch ms or ISO text; blobs as Buffer or text; S3 bodies may also be
 * a readable stream, handed back as WireResponse.stream); undefined members are left out.
 */
import type { AwsError, WireRequest, WireResponse } from './errors.js';
import type { Codec, CodecFactory, DecodedRequest, DecodeOptions } from './codec.js';
import { ec2Codec } from './ec2.js';
import { jsonCodec } from './json.js';
import { queryCodec } from './query.js';
import { restXmlCodec } from './rest-xml.js';
import { restJsonCodec } from './rest-json.js';
import { getServiceModel, type ServiceName } from './service-model.js';

export { AwsError, type WireRequest, type WireResponse } from './errors.js';
export type { DecodedRequest, DecodeOptions } from './codec.js';
export { detectService, scopeService } from './detect.js';
export { encodeProtocolError, unservedService, type ServiceProtocol } from './unserved.js';
export {
  getServiceModel,
  getOperationModel,
  operationNames,
  operationSummaries,
  isServiceName,
  SERVICE_NAMES,
  type ServiceName,
  type ServiceModel,
  type OperationModel,
  type OperationSummary,
} from './service-model.js';
export type { Shape, Member, ShapeType } from './shapes.js';
export { encodeOnce } from './xml-writer.js';

const FACTORIES: Record<string, CodecFactory> = {
  query: queryCodec,
  ec2: ec2Codec,
  'rest-xml': restXmlCodec,
  json: jsonCodec,
  'rest-json': restJsonCodec,
};

const codecs = new Map<ServiceName, Codec>();

function codecFor(service: ServiceName): Codec {
  let codec = codecs.get(service);
  if (!codec) {
    const model = getServiceModel(service);
    const factory = FACTORIES[model.protocol];
    if (!factory) throw new Error(`no codec for protocol ${model.protocol}`);
    codec = factory(model);
    codecs.set(service, codec);
  }
  return codec;
}

/** The operation and its typed, validated input; throws AwsError in the service's terms. */
export function decodeRequest(service: ServiceName, req: WireRequest, opts?: DecodeOptions): DecodedRequest {
  return codecFor(service).decode(req, opts);
}

/**
 * The operation a REST request's head selects, before its body is read (S3 decides
 * whether to stream the body from it). Throws AwsError as decodeRequest would.
 */
export function operationOf(service: ServiceName, req: WireRequest): string {
  const codec = codecFor(service);
  if (!codec.operationOf) throw new Error(`${service}: the operation is in the body`);
  return codec.operationOf(req);
}

/** A handler's output in the service's wire format. Throws if the operation is unknown. */
export function encodeResponse(service: ServiceName, operation: string, output: unknown, requestId: string): WireResponse {
  const op = getServiceModel(service).operations.get(operation);
  if (!op) throw new Error(`${service} has no operation ${operation}`);
  return codecFor(service).encodeResponse(op, output, requestId);
}

/** An AwsError as the service would send it. */
export function encodeError(service: ServiceName, err: AwsError, requestId: string): WireResponse {
  return codecFor(service).encodeError(err, requestId);
}
