import { AwsError, type WireRequest, type WireResponse } from './errors.js';
import type { Codec, DecodedRequest, DecodeOptions } from './codec.js';
import { parseFormPairs } from './form.js';
import { RestRouter } from './rest-router.js';
import { bucketFromHost } from './s3-host.js';
import { parseTimestampText, scalarFromText, WireTypeError } from './scalars.js';
import type { OperationModel, ServiceModel } from './service-model.js';
import type { Member, Shape } from './shapes.js';
import { validateInput } from './validate.js';
import { parseXmlDocument, readStructure, XmlSyntaxError } from './xml-reader.js';
import { escapeXml, scalarHeaderText, structureBody, writeElement, type XmlFlavor } from './xml-writer.js';

const FLAVOR: XmlFlavor = { listItemName: 'member', timestamp: 'iso8601-ms' };
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
/** S3's namespace: real responses carry it, the botocore model does not declare it. */
const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/**
 * Root elements of S3 responses whose body is the output structure itself. The model leaves
 * them unnamed (SDKs ignore the root); real S3 names them, so we do too. Others: `<Op>Result`.
 */
const ROOT_ELEMENTS: Record<string, string> = {
  ListBuckets: 'ListAllMyBucketsResult',
  ListDirectoryBuckets: 'ListAllMyDirectoryBucketsResult',
  ListObjects: 'ListBucketResult',
  ListObjectsV2: 'ListBucketResult',
  ListObjectVersions: 'ListVersionsResult',
  ListMultipartUploads: 'ListMultipartUploadsResult',
  ListParts: 'ListPartsResult',
  CreateMultipartUpload: 'InitiateMultipartUploadResult',
  CompleteMultipartUpload: 'CompleteMultipartUploadResult',
  DeleteObjects: 'DeleteResult',
  GetBucketLocation: 'LocationConstraint',
  GetBucketAcl: 'AccessControlPolicy',
  GetObjectAcl: 'AccessControlPolicy',
  GetBucketTagging: 'Tagging',
  GetObjectTagging: 'Tagging',
  GetBucketVersioning: 'VersioningConfiguration',
  GetBucketCors: 'CORSConfiguration',
  GetBucketLifecycleConfiguration: 'LifecycleConfiguration',
  GetBucketLogging: 'BucketLoggingStatus',
  GetBucketWebsite: 'WebsiteConfiguration',
  GetBucketNotificationConfiguration: 'NotificationConfiguration',
  GetBucketAccelerateConfiguration: 'AccelerateConfiguration',
  GetBucketRequestPayment: 'RequestPaymentConfiguration',
  GetObjectAttributes: 'GetObjectAttributesResponse',
  ListBucketAnalyticsConfigurations: 'ListBucketAnalyticsConfigurationResult',
  ListBucketInventoryConfigurations: 'ListInventoryConfigurationsResult',
  ListBucketMetricsConfigurations: 'ListMetricsConfigurationsResult',
  ListBucketIntelligentTieringConfigurations: 'ListBucketIntelligentTieringConfigurationsResult',
};

function queryMap(rawQuery: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [k, v] of parseFormPairs(rawQuery)) {
    const list = map.get(k);
    if (list) list.push(v);
    else map.set(k, [v]);
  }
  return map;
}

function s3TypeError(e: WireTypeError, wireName: string): AwsError {
  const message =
    e.expected === 'integer' ? `Provided ${wireName} not an integer or within integer range` : `Invalid value for ${wireName}: ${e.value}`;
  return new AwsError('InvalidArgument', message, 400, { extra: { ArgumentName: wireName, ArgumentValue: e.value } });
}

function located(m: Member, text: string, wireName: string): unknown {
  try {
    if (m.shape.type === 'timestamp') return parseTimestampText(text.trim());
    return scalarFromText(m.shape.type, text);
  } catch (e) {
    if (e instanceof WireTypeError) throw s3TypeError(e, wireName);
    throw e;
  }
}

/** Members bound to the URI, query string and headers. */
function readLocated(shape: Shape, labels: Record<string, string>, query: Map<string, string[]>, headers: Record<string, string>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const m of shape.members) {
    const name = m.locationName ?? m.name;
    switch (m.location) {
      case 'uri':
        if (labels[name] !== undefined) input[m.name] = labels[name];
        break;
      case 'querystring': {
        if (m.shape.type === 'map') break; // S3 binds no free-form query maps
        const values = query.get(name);
        if (values === undefined) break;
        input[m.name] = m.shape.type === 'list' ? values.map((v) => located(m.shape.member!, v, name)) : located(m, values[0], name);
        break;
      }
      case 'header': {
        const value = headers[name.toLowerCase()];
        if (value === undefined) break;
        input[m.name] =
          m.shape.type === 'list' ? value.split(',').map((v) => located(m.shape.member!, v.trim(), name)) : located(m, value, name);
        break;
      }
      case 'headers': {
        const prefix = name.toLowerCase();
        const map: Record<string, string> = {};
        let any = false;
        for (const [h, v] of Object.entries(headers)) {
          if (h.startsWith(prefix)) {
            map[h.slice(prefix.length)] = v;
            any = true;
          }
        }
        if (any) input[m.name] = map;
        break;
      }
    }
  }
  return input;
}

function malformedXml(): AwsError {
  return new AwsError(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
    400,
  );
}

/** Reads an XML body by shape; `root`, when given, is the element name the document must have. */
function readXmlBody(shape: Shape, body: Buffer, root?: string): Record<string, unknown> | undefined {
  let doc;
  try {
    doc = parseXmlDocument(body.toString('utf8'));
  } catch (e) {
    if (e instanceof XmlSyntaxError) throw malformedXml();
    throw e;
  }
  if (!doc) return undefined;
  if (root !== undefined && doc.name !== root) throw malformedXml();
  try {
    return readStructure(shape, doc.node);
  } catch (e) {
    if (e instanceof WireTypeError) throw malformedXml();
    throw e;
  }
}

/** The rest-xml protocol (S3): method + URI select the operation, members bound by location. */
export function restXmlCodec(model: ServiceModel): Codec {
  const router = new RestRouter(model);
  const namespace = model.metadata.xmlNamespace ?? (model.metadata.endpointPrefix === 's3' ? S3_NAMESPACE : undefined);
  const nsAttr = namespace ? ` xmlns="${namespace}"` : '';

  function route(req: WireRequest, query: Map<string, string[]>) {
    // Only S3 names buckets in its host; S3 Control's host names the account.
    const bucket = model.name === 's3' ? bucketFromHost(req.headers.host) : undefined;
    const path = bucket === undefined ? req.path : `/${encodeURIComponent(bucket)}${req.path === '/' ? '' : req.path}`;
    return router.match(req.method.toUpperCase(), path, query, req.headers);
  }

  function operationOf(req: WireRequest): string {
    return route(req, queryMap(req.rawQuery)).op.name;
  }

  function decode(req: WireRequest, opts: DecodeOptions = {}): DecodedRequest {
    const query = queryMap(req.rawQuery);
    const { op, labels } = route(req, query);
    if (!op.input) return { operation: op.name, input: {} };
    const { headers, body } = req;
    const input = readLocated(op.input, labels, query, headers);
    const payload = op.input.payload;
    if (payload) {
      if (op.payloadMember) {
        if (!opts.skipPayload && body.length > 0) {
          input[payload.name] = payload.shape.type === 'string' ? body.toString('utf8') : body;
        }
      } else if (payload.shape.type === 'structure') {
        const root = payload.locationName ?? payload.shape.locationName ?? payload.name;
        const value = readXmlBody(payload.shape, body, root);
        if (value !== undefined) input[payload.name] = value;
      }
    } else if (op.input.members.some((m) => !m.location)) {
      Object.assign(input, readXmlBody(op.input, body) ?? {});
    }
    // S3 checks the document it was sent, not the model's length/pattern hints.
    const bad = validateInput(op.input, input).find((v) => v.kind === 'required' || v.kind === 'enum');
    if (bad) throw malformedXml();
    return { operation: op.name, input };
  }

  function bodyFor(op: OperationModel, shape: Shape, output: Record<string, unknown>): string | undefined {
    const bodyMembers = shape.members.filter((m) => !m.location);
    if (bodyMembers.length === 0) return undefined;
    const root = shape.locationName ?? ROOT_ELEMENTS[op.name] ?? `${op.name}Result`;
    const only = bodyMembers.length === 1 ? bodyMembers[0] : undefined;
    // A lone scalar named like the root is the root itself: <LocationConstraint>eu-west-1</…>.
    if (only && only.xmlName === root && only.shape.type !== 'structure' && only.shape.type !== 'list' && only.shape.type !== 'map') {
      const v = output[only.name];
      return v === undefined || v === null ? `<${root}${nsAttr}/>` : writeElement(root, only.shape, only, v, FLAVOR, nsAttr);
    }
    return `<${root}${nsAttr}>${structureBody(shape, output, FLAVOR)}</${root}>`;
  }

  function encodeResponse(op: OperationModel, output: unknown, requestId: string): WireResponse {
    const headers: Record<string, string> = { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId(requestId) };
    const response: WireResponse = { status: op.http.responseCode ?? 200, headers, body: '' };
    const shape = op.output;
    if (!shape || !output || typeof output !== 'object') return response;
    const record = output as Record<string, unknown>;
    for (const m of shape.members) {
      const v = record[m.name];
      if (v === undefined || v === null) continue;
      const name = m.locationName ?? m.name;
      if (m.location === 'header') {
        headers[name] = m.shape.type === 'list'
          ? (v as unknown[]).map((x) => scalarHeaderText(m.shape.member!.shape, m.shape.member!, x, 'rfc822')).join(',')
          : scalarHeaderText(m.shape, m, v, 'rfc822');
      } else if (m.location === 'headers') {
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) headers[`${name}${k}`] = String(x);
      } else if (m.location === 'statusCode') {
        response.status = Number(v);
      }
    }
    const payload = shape.payload;
    if (payload) {
      const v = record[payload.name];
      if (v === undefined || v === null) return response;
      if (payload.shape.type === 'structure') {
        const name = payload.locationName ?? payload.shape.locationName ?? payload.name;
        const ns = payload.xmlNamespace ?? payload.shape.xmlNamespace;
        headers['content-type'] = 'application/xml';
        response.body = XML_DECLARATION + writeElement(name, payload.shape, payload, v, FLAVOR, ns ? '' : nsAttr);
      } else if (typeof v === 'string' || Buffer.isBuffer(v)) {
        response.body = v;
      } else if (v instanceof Uint8Array) {
        response.body = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      } else if (typeof (v as { pipe?: unknown }).pipe === 'function') {
        response.stream = v as NodeJS.ReadableStream;
      }
      return response;
    }
    const xml = bodyFor(op, shape, record);
    if (xml !== undefined) {
      headers['content-type'] = 'application/xml';
      response.body = XML_DECLARATION + xml;
    }
    return response;
  }

  function encodeError(err: AwsError, requestId: string): WireResponse {
    let extra = '';
    for (const [k, v] of Object.entries(err.extra)) extra += `<${k}>${escapeXml(v)}</${k}>`;
    const xml =
      `${XML_DECLARATION}<Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>${extra}` +
      `<RequestId>${escapeXml(requestId)}</RequestId><HostId>${hostId(requestId)}</HostId></Error>`;
    return {
      status: err.status,
      headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'x-amz-id-2': hostId(requestId) },
      body: xml,
    };
  }

  return { decode, operationOf, encodeResponse, encodeError };
}

/** S3's x-amz-id-2: an opaque host token; ours is derived from the request id. */
function hostId(requestId: string): string {
  return Buffer.from(`iamlocal/${requestId}`).toString('base64');
}
