import { AwsError, type WireRequest, type WireResponse } from './errors.js';
import { formBody, type Codec, type DecodedRequest } from './codec.js';
import { parseFormTree } from './form.js';
import { decodeStructure } from './query-input.js';
import { WireTypeError } from './scalars.js';
import type { OperationModel, ServiceModel } from './service-model.js';
import { CORAL_STYLE, IAM_STYLE, validateInput, validationMessage } from './validate.js';
import { escapeXml, structureBody, type XmlFlavor } from './xml-writer.js';

const FLAVOR: XmlFlavor = { listItemName: 'member', timestamp: 'iso8601' };

/** The query error for a value that is not of its member's type. */
export function queryTypeError(e: WireTypeError): AwsError {
  return new AwsError(
    'ValidationError',
    `1 validation error detected: Value '${e.value}' at '${e.path}' failed to satisfy constraint: Member must be a valid ${e.expected}`,
    400,
  );
}

/** The query protocol (IAM, STS): form fields in, `<OpResponse><OpResult>` XML out. */
export function queryCodec(model: ServiceModel): Codec {
  const namespace = model.metadata.xmlNamespace ?? '';
  const version = model.metadata.apiVersion;
  const style = model.metadata.endpointPrefix === 'iam' ? IAM_STYLE : CORAL_STYLE;

  function decode(req: WireRequest): DecodedRequest {
    const tree = parseFormTree(req.rawQuery, formBody(req));
    const action = tree.children?.get('Action')?.value;
    if (!action) throw new AwsError('MissingAction', 'The request is missing an action or a required parameter.', 400);
    // The API version picks the operation set: another version has none of ours.
    const asked = tree.children?.get('Version')?.value ?? version;
    const op = asked === version ? model.operations.get(action) : undefined;
    if (!op) throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${asked}`, 400);
    if (!op.input) return { operation: op.name, input: {} };
    let input: Record<string, unknown>;
    try {
      input = decodeStructure(op.input, tree, 'query');
    } catch (e) {
      throw e instanceof WireTypeError ? queryTypeError(e) : e;
    }
    const violations = validateInput(op.input, input);
    if (violations.length > 0) throw new AwsError('ValidationError', validationMessage(violations, style, op.name), 400);
    return { operation: op.name, input };
  }

  function encodeResponse(op: OperationModel, output: unknown, requestId: string): WireResponse {
    let result = '';
    if (op.output && op.resultWrapper) {
      const body = output && typeof output === 'object' ? structureBody(op.output, output as Record<string, unknown>, FLAVOR) : '';
      result = `<${op.resultWrapper}>${body}</${op.resultWrapper}>`;
    }
    const xml =
      `<${op.name}Response xmlns="${namespace}">${result}` +
      `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${op.name}Response>`;
    return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId }, body: xml };
  }

  function encodeError(err: AwsError, requestId: string): WireResponse {
    // An error AWS gives without a message (ReportNotPresent) has no Message element.
    const message = err.message === '' ? '' : `<Message>${escapeXml(err.message)}</Message>`;
    const xml =
      `<ErrorResponse xmlns="${namespace}"><Error><Type>${err.fault}</Type><Code>${escapeXml(err.code)}</Code>` +
      `${message}</Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
    return { status: err.status, headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId }, body: xml };
  }

  return { decode, encodeResponse, encodeError };
}
