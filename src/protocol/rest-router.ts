import { AwsError } from './errors.js';
import type { OperationModel, ServiceModel } from './service-model.js';

/** A URI template's path part, compiled once however many operations share it. */
interface PathPattern {
  regex: RegExp;
  /** Label names in the order the regex captures them. */
  labels: string[];
}

/** One operation's HTTP binding, precompiled from its requestUri. */
interface Route {
  op: OperationModel;
  method: string;
  pattern: number;
  /** Query-string discriminators from the requestUri (`?uploads`, `?list-type=2`). */
  literalQuery: [string, string | undefined][];
  /** Query parameters and headers (lower-cased) the input requires. */
  requiredQuery: string[];
  requiredHeaders: string[];
  /** Preference among routes that all fit: discriminators first, then requirements met. */
  score: number;
  /** Whether the URI names an object (key) or only a bucket: for S3's MethodNotAllowed wording. */
  resourceType: 'OBJECT' | 'BUCKET' | 'SERVICE';
}

export interface RouteMatch {
  op: OperationModel;
  /** Label values, percent-decoded (Bucket, Key). */
  labels: Record<string, string>;
}

function compilePath(template: string): PathPattern {
  const labels: string[] = [];
  const parts = template.split('/').map((segment) => {
    const label = /^\{([^}]+?)(\+?)\}$/.exec(segment);
    if (!label) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    labels.push(label[1]);
    return label[2] ? '(.+)' : '([^/]+)';
  });
  const greedy = template.endsWith('+}');
  const source = template === '/' ? '^/$' : `^${parts.join('/')}${greedy ? '' : '/?'}$`;
  return { regex: new RegExp(source, 's'), labels };
}

function compileRoute(op: OperationModel, pattern: number, labelCount: number): Route {
  const queryTemplate = op.http.requestUri.split('?', 2)[1];
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
  const score = literalQuery.length * 100 + (requiredQuery.length + requiredHeaders.length) * 10 - (op.deprecated ? 1 : 0);
  const resourceType = labelCount === 0 ? 'SERVICE' : labelCount > 1 ? 'OBJECT' : 'BUCKET';
  return { op, method: op.http.method, pattern, literalQuery, requiredQuery, requiredHeaders, score, resourceType };
}

function queryFits(route: Route, query: Map<string, string[]>): boolean {
  for (const [k, v] of route.literalQuery) {
    const values = query.get(k);
    if (values === undefined || (v !== undefined && values[0] !== v)) return false;
  }
  return true;
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
  private readonly patterns: PathPattern[] = [];
  private readonly routes: Route[] = [];
  private readonly byMethod = new Map<string, Route[]>();

  constructor(model: ServiceModel) {
    const patternIndex = new Map<string, number>();
    // Model order is alphabetical; on a tie the earlier (shorter-named) operation wins,
    // e.g. ListBuckets over ListDirectoryBuckets.
    for (const op of model.operations.values()) {
      const template = op.http.requestUri.split('?', 2)[0];
      let index = patternIndex.get(template);
      if (index === undefined) {
        index = this.patterns.push(compilePath(template)) - 1;
        patternIndex.set(template, index);
      }
      const route = compileRoute(op, index, this.patterns[index].labels.length);
      this.routes.push(route);
      const list = this.byMethod.get(route.method);
      if (list) list.push(route);
      else this.byMethod.set(route.method, [route]);
    }
  }

  private exec(tried: (RegExpExecArray | null | undefined)[], pattern: number, path: string): RegExpExecArray | null {
    let m = tried[pattern];
    if (m === undefined) m = tried[pattern] = this.patterns[pattern].regex.exec(path);
    return m;
  }

  /** `path` is the logical, still-encoded path (with the bucket in it for virtual-hosted requests). */
  match(method: string, path: string, query: Map<string, string[]>, headers: Record<string, string>): RouteMatch {
    // Each distinct template is tried at most once per request.
    const tried: (RegExpExecArray | null | undefined)[] = new Array(this.patterns.length);
    let best: Route | undefined;
    let bestMatch: RegExpExecArray | undefined;
    for (const route of this.byMethod.get(method) ?? []) {
      if (best && route.score <= best.score) continue;
      if (!queryFits(route, query)) continue;
      if (!route.requiredQuery.every((k) => query.has(k))) continue;
      if (!route.requiredHeaders.every((h) => headers[h] !== undefined)) continue;
      const m = this.exec(tried, route.pattern, path);
      if (!m) continue;
      best = route;
      bestMatch = m;
    }
    if (!best) {
      const other = this.routes.find((r) => queryFits(r, query) && this.exec(tried, r.pattern, path));
      if (other) {
        throw new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {
          extra: { Method: method, ResourceType: other.resourceType },
        });
      }
      throw new AwsError('NotImplemented', 'A header you provided implies functionality that is not implemented.', 501);
    }
    const labels: Record<string, string> = {};
    const names = this.patterns[best.pattern].labels;
    for (let i = 0; i < names.length; i++) labels[names[i]] = safeDecode(bestMatch![i + 1]);
    return { op: best.op, labels };
  }
}
