import { readRawModel, type RawMetadata, type RawModel, type RawOperation } from './raw-model.js';
import { ShapeGraph, type Member, type Shape } from './shapes.js';

export type ServiceName = 'iam' | 'sts' | 's3' | 's3control' | 'dynamodb' | 'ec2' | 'organizations' | 'cloudtrail' | 'accessanalyzer' | 'sso-admin' | 'identitystore' | 'sso';
export const SERVICE_NAMES: readonly ServiceName[] = ['iam', 'sts', 's3', 's3control', 'dynamodb', 'ec2', 'organizations', 'cloudtrail', 'accessanalyzer', 'sso-admin', 'identitystore', 'sso'];

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/** One operation as the codecs, the server and the coverage table need it. */
export interface OperationModel {
  name: string;
  service: ServiceName;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: Shape;
  output?: Shape;
  /** query protocol: the element wrapping the output, e.g. GetUserResult. */
  resultWrapper?: string;
  /** Error shape names the model lists for this operation. */
  errors: string[];
  deprecated: boolean;
  /** rest-xml: the input member that carries the raw body (PutObject's Body), if any. */
  payloadMember?: Member;
  /** True when that payload is streamed (the server may supply it separately). */
  streamingPayload: boolean;
}

export interface ServiceModel {
  name: ServiceName;
  metadata: RawMetadata;
  protocol: RawMetadata['protocol'];
  operations: Map<string, OperationModel>;
  shapes: ShapeGraph;
  /** Error shapes by wire code, for codecs that need the model's declared error status. */
  errorShapes: Map<string, Shape>;
}

const loaded = new Map<ServiceName, ServiceModel>();

/** Resolves its shapes on first use: EC2 alone has thousands the server may never touch. */
class LazyOperation implements OperationModel {
  readonly name: string;
  readonly http: OperationModel['http'];
  readonly resultWrapper?: string;
  readonly errors: string[];
  readonly deprecated: boolean;
  private resolved?: { input?: Shape; output?: Shape; payloadMember?: Member };

  constructor(
    readonly service: ServiceName,
    private readonly raw: RawOperation,
    private readonly shapes: ShapeGraph,
  ) {
    this.name = raw.name;
    this.http = raw.http;
    this.resultWrapper = raw.output?.resultWrapper;
    this.errors = (raw.errors ?? []).map((e) => e.shape);
    this.deprecated = raw.deprecated === true;
  }

  private resolve(): NonNullable<LazyOperation['resolved']> {
    if (!this.resolved) {
      const input = this.raw.input ? this.shapes.get(this.raw.input.shape) : undefined;
      const output = this.raw.output ? this.shapes.get(this.raw.output.shape) : undefined;
      const payload = input?.payload;
      const raw = payload && (payload.shape.type === 'blob' || payload.shape.type === 'string');
      this.resolved = { input, output, payloadMember: raw ? payload : undefined };
    }
    return this.resolved;
  }

  get input(): Shape | undefined {
    return this.resolve().input;
  }
  get output(): Shape | undefined {
    return this.resolve().output;
  }
  get payloadMember(): Member | undefined {
    return this.resolve().payloadMember;
  }
  get streamingPayload(): boolean {
    return this.resolve().payloadMember?.streaming ?? false;
  }
}

function build(name: ServiceName, raw: RawModel): ServiceModel {
  const shapes = new ShapeGraph(raw);
  const operations = new Map<string, OperationModel>();
  for (const [opName, op] of Object.entries(raw.operations)) {
    operations.set(opName, new LazyOperation(name, { ...op, name: opName }, shapes));
  }
  const errorShapes = new Map<string, Shape>();
  for (const [shapeName, rawShape] of Object.entries(raw.shapes)) {
    if (rawShape.exception || rawShape.error) errorShapes.set(rawShape.error?.code ?? shapeName, shapes.get(shapeName));
  }
  return { name, metadata: raw.metadata, protocol: raw.metadata.protocol, operations, shapes, errorShapes };
}

/** The service's model, loaded from the vendored botocore JSON on first use. */
export function getServiceModel(service: ServiceName): ServiceModel {
  let model = loaded.get(service);
  if (!model) {
    model = build(service, readRawModel(service));
    loaded.set(service, model);
  }
  return model;
}

export function getOperationModel(service: ServiceName, operation: string): OperationModel | undefined {
  return getServiceModel(service).operations.get(operation);
}

export function operationNames(service: ServiceName): string[] {
  return [...getServiceModel(service).operations.keys()];
}

/** One row of a coverage table: an operation's name, shapes and HTTP binding, as plain data. */
export interface OperationSummary {
  name: string;
  inputShape?: string;
  outputShape?: string;
  method: string;
  requestUri: string;
  deprecated: boolean;
}

export function operationSummaries(service: ServiceName): OperationSummary[] {
  return [...getServiceModel(service).operations.values()].map((op) => ({
    name: op.name,
    inputShape: op.input?.name,
    outputShape: op.output?.name,
    method: op.http.method,
    requestUri: op.http.requestUri,
    deprecated: op.deprecated,
  }));
}
