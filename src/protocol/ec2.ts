import { AwsError, type WireRequest, type WireResponse } from './errors.js';
import { formBody, type Codec, type DecodedRequest } from './codec.js';
import { parseFormTree } from './form.js';
import { decodeStructure } from './query-input.js';
import { WireTypeError } from './scalars.js';
import type { OperationModel, ServiceModel } from './service-model.js';
import { validateInput, type Violation } from './validate.js';
import { escapeXml, structureBodyBytes, type XmlFlavor } from './xml-writer.js';

const FLAVOR: XmlFlavor = { listItemName: 'item', timestamp: 'iso8601-ms' };
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** EC2 reports the first problem only, in its own words rather than Coral's. */
function violationError(v: Violation): AwsError {
  if (v.kind === 'required') return new AwsError('MissingParameter', `The request must contain the parameter ${v.wirePath}`, 400);
  if (v.kind === 'enum') return new AwsError('InvalidParameterValue', `Invalid value '${String(v.value)}' for ${v.wirePath}.`, 400);
  const bound = v.constraint.replace(/^Member must /, 'must ');
  return new AwsError('InvalidParameterValue', `Value (${String(v.value)}) for parameter ${v.wirePath} is invalid. It ${bound}.`, 400);
}

/** The ec2 protocol: query-style fields with EC2's names, `<OpResponse><requestId>` XML out. */
export function ec2Codec(model: ServiceModel): Codec {
  const ns = model.metadata.xmlNamespace ?? '';
  const namespace = ns.endsWith('/') ? ns : `${ns}/`;

  function decode(req: WireRequest): DecodedRequest {
    const tree = parseFormTree(req.rawQuery, formBody(req));
    const action = tree.children?.get('Action')?.value;
    if (!action) throw new AwsError('MissingAction', 'The request must contain the parameter Action', 400);
    const op = model.operations.get(action);
    if (!op) throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`, 400);
    if (!op.input) return { operation: op.name, input: {} };
    let input: Record<string, unknown>;
    try {
      input = decodeStructure(op.input, tree, 'ec2');
    } catch (e) {
      if (!(e instanceof WireTypeError)) throw e;
      throw new AwsError('InvalidParameterValue', `Value (${e.value}) for parameter ${e.wirePath} is invalid. Expected a ${e.expected}.`, 400);
    }
    const violations = validateInput(op.input, input);
    if (violations.length > 0) throw violationError(violations[0]);
    return { operation: op.name, input };
  }

  function encodeResponse(op: OperationModel, output: unknown, requestId: string): WireResponse {
    const head = `${XML_DECLARATION}<${op.name}Response xmlns="${namespace}"><requestId>${escapeXml(requestId)}</requestId>`;
    const tail = `</${op.name}Response>`;
    let body: string | Buffer;
    if (!op.output) body = `${head}<return>true</return>${tail}`; // what EC2 answers for actions that return nothing else
    else if (output && typeof output === 'object') body = structureBodyBytes(op.output, output as Record<string, unknown>, FLAVOR, head, tail);
    else body = head + tail;
    return { status: 200, headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-RequestId': requestId }, body };
  }

  function encodeError(err: AwsError, requestId: string): WireResponse {
    const xml =
      `${XML_DECLARATION}<Response><Errors><Error><Code>${escapeXml(err.code)}</Code>` +
      `<Message>${escapeXml(err.message)}</Message></Error></Errors><RequestID>${escapeXml(requestId)}</RequestID></Response>`;
    return { status: err.status, headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-RequestId': requestId }, body: xml };
  }

  return { decode, encodeResponse, encodeError };
}
