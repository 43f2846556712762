import { AwsError } from './errors.js';
import type { OperationModel, ServiceModel } from './service-model.js';

/** One operation's HTTP binding, precompiled from its requestUri. */
interface Route {
  op: OperationModel;
  method: string;
  path: RegExp;
  /** Label names in the order the path regex captures them. */
  labels: string[];
  /** Query-string discriminators from the requestUri (`?uploads`, `?list-type=2`). */
  literalQuery: [string, string | undefined][];
  /** Query parameters and headers (lower-cased) the input requires. */
  requiredQuery: string[];
  requiredHeaders: string[];
  /** Whether the URI names an object (key) or only a bucket: for S3's MethodNotAllowed wording. */
  resourceType: 'OBJECT' | 'BUCKET' | 'SERVICE';
}

export interface RouteMatch {
  op: OperationModel;
  /** Label values, percent-decoded (Bucket, Key). */
  labels: Record<string, string>;
}

function compilePath(template: string): { path: RegExp; labels: string[] } {
  const labels: string[] = [];
  const parts = template.split('/').map((segment) => {
    const label = /^\{([^}]+?)(\+?)\}$/.exec(segment);
    if (!label) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    labels.push(label[1]);
    return label[2] ? '(.+)' : '([^/]+)';
  });
  const greedy = template.endsWith('+}');
  const source = template === '/' ? '^/$' : `^${parts.join('/')}${greedy ? '' : '/?'}$`;
  return { path: new RegExp(source, 's'), labels };
}

function compileRoute(op: OperationModel): Route {
  const [pathTemplate, queryTemplate] = op.http.requestUri.split('?', 2);
  const { path, labels } = compilePath(pathTemplate);
  const literalQuery: Route['literalQuery'] = [];
  if (queryTemplate) {
    for (const part of queryTemplate.split('&')) {
      const eq = part.indexOf('=');
      literalQuery.push(eq === -1 ? [part, undefined] : [part.slice(0, eq), part.slice(eq + 1)]);
    }
  }
  const requiredQuery: string[] = [];
  const requiredHeaders: string[] = [];
  for (const m of op.input?.members ?? []) {
    if (!m.required) continue;
    if (m.location === 'querystring') requiredQuery.push(m.locationName ?? m.name);
    if (m.location === 'header') requiredHeaders.push((m.locationName ?? m.name).toLowerCase());
  }
  const resourceType = labels.length === 0 ? 'SERVICE' : labels.length > 1 ? 'OBJECT' : 'BUCKET';
  return { op, method: op.http.method, path, labels, literalQuery, requiredQuery, requiredHeaders, resourceType };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Picks the operation for a REST request: method, URI template, then query/header discriminators. */
export class RestRouter {
  private readonly routes: Route[];

  constructor(model: ServiceModel) {
    // Model order is alphabetical; on a tie the earlier (shorter-named) operation wins,
    // e.g. ListBuckets over ListDirectoryBuckets.
    this.routes = [...model.operations.values()].map(compileRoute);
  }

  /** `path` is the logical, still-encoded path (with the bucket in it for virtual-hosted requests). */
  match(method: string, path: string, query: Map<string, string[]>, headers: Record<string, string>): RouteMatch {
    let best: { route: Route; values: string[]; score: number } | undefined;
    let pathMatched: Route | undefined;
    for (const route of this.routes) {
      const m = route.path.exec(path);
      if (!m) continue;
      if (!route.literalQuery.every(([k, v]) => query.has(k) && (v === undefined || query.get(k)![0] === v))) continue;
      pathMatched ??= route;
      if (route.method !== method) continue;
      if (!route.requiredQuery.every((k) => query.has(k))) continue;
      if (!route.requiredHeaders.every((h) => headers[h] !== undefined)) continue;
      const score =
        route.literalQuery.length * 100 + (route.requiredQuery.length + route.requiredHeaders.length) * 10 - (route.op.deprecated ? 1 : 0);
      if (!best || score > best.score) best = { route, values: m.slice(1), score };
    }
    if (!best) {
      if (pathMatched) {
        throw new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {
          extra: { Method: method, ResourceType: pathMatched.resourceType },
        });
      }
      throw new AwsError('NotImplemented', 'A header you provided implies functionality that is not implemented.', 501);
    }
    const labels: Record<string, string> = {};
    best.route.labels.forEach((name, i) => (labels[name] = safeDecode(best!.values[i])));
    return { op: best.route.op, labels };
  }
}
