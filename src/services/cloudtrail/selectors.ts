import type { ServiceName } from '../../protocol/index.js';
import type { Store } from '../../store/store.js';
import type { CallFacts } from './call-facts.js';
import { eventSourceOf, isReadOnly } from './event-record.js';
import { loggingTrails, type TrailRow } from './trail-rows.js';

/** A data event's resources.type, by its event source. */
export function dataResourceType(eventSource: string): 'AWS::DynamoDB::Table' | 'AWS::S3::Object' {
  return eventSource === 'dynamodb.amazonaws.com' ? 'AWS::DynamoDB::Table' : 'AWS::S3::Object';
}

/** An event as selectors see it. */
export interface SelectedEvent {
  management: boolean;
  readOnly: boolean;
  eventSource: string;
  eventName: string;
  /** The resource ARN (data events: the object's). */
  resource?: string;
  region: string;
  /** IAM, STS and CloudFront: AWS's global services. */
  global: boolean;
}

interface EventSelector {
  ReadWriteType?: 'ReadOnly' | 'WriteOnly' | 'All';
  IncludeManagementEvents?: boolean;
  DataResources?: { Type?: string; Values?: string[] }[];
  ExcludeManagementEventSources?: string[];
}

interface FieldSelector {
  Field: string;
  Equals?: string[];
  StartsWith?: string[];
  EndsWith?: string[];
  NotEquals?: string[];
  NotStartsWith?: string[];
  NotEndsWith?: string[];
}

interface AdvancedEventSelector {
  Name?: string;
  FieldSelectors: FieldSelector[];
}

/** Does the trail log this event (its region scope, its event selectors)? */
export function trailSelects(trail: TrailRow, ev: SelectedEvent): boolean {
  if (ev.global ? trail.include_global === 0 : trail.multi_region === 0 && ev.region !== trail.home_region) return false;
  if (trail.advanced_selectors) {
    const advanced = JSON.parse(trail.advanced_selectors) as AdvancedEventSelector[];
    return advanced.some((s) => s.FieldSelectors.every((f) => fieldMatches(f, ev)));
  }
  const selectors: EventSelector[] = trail.selectors ? JSON.parse(trail.selectors) : [{ ReadWriteType: 'All', IncludeManagementEvents: true }];
  return selectors.some((s) => {
    const rw = s.ReadWriteType ?? 'All';
    if ((rw === 'ReadOnly' && !ev.readOnly) || (rw === 'WriteOnly' && ev.readOnly)) return false;
    if (ev.management) return s.IncludeManagementEvents !== false && !(s.ExcludeManagementEventSources ?? []).includes(ev.eventSource);
    const type = dataResourceType(ev.eventSource);
    const matches = type === 'AWS::S3::Object' ? s3ValueMatches : tableValueMatches;
    return (s.DataResources ?? []).some((d) => d.Type === type && (d.Values ?? []).some((v) => matches(v, ev.resource)));
  });
}

/** `arn:aws:s3` (every bucket), `arn:aws:s3:::bucket/` (a bucket's objects), `arn:aws:s3:::bucket/prefix`. */
function s3ValueMatches(value: string, resource: string | undefined): boolean {
  if (!resource) return false;
  if (value === 'arn:aws:s3' || value === 'arn:aws:s3:::') return true;
  return resource.startsWith(value);
}

/** `arn:aws:dynamodb` (every table of the account), or one table's ARN (its indexes too). */
function tableValueMatches(value: string, resource: string | undefined): boolean {
  if (!resource) return false;
  if (value === 'arn:aws:dynamodb') return true;
  return resource === value || resource.startsWith(`${value}/index/`);
}

function fieldValue(field: string, ev: SelectedEvent): string | undefined {
  switch (field) {
    case 'eventCategory':
      return ev.management ? 'Management' : 'Data';
    case 'readOnly':
      return String(ev.readOnly);
    case 'eventSource':
      return ev.eventSource;
    case 'eventName':
      return ev.eventName;
    case 'resources.type':
      return ev.management ? undefined : dataResourceType(ev.eventSource);
    case 'resources.ARN':
      return ev.resource;
    default:
      return undefined;
  }
}

function fieldMatches(f: FieldSelector, ev: SelectedEvent): boolean {
  const v = fieldValue(f.Field, ev);
  if (v === undefined) return false;
  if (f.Equals && !f.Equals.includes(v)) return false;
  if (f.StartsWith && !f.StartsWith.some((p) => v.startsWith(p))) return false;
  if (f.EndsWith && !f.EndsWith.some((p) => v.endsWith(p))) return false;
  if (f.NotEquals?.includes(v)) return false;
  if (f.NotStartsWith?.some((p) => v.startsWith(p))) return false;
  if (f.NotEndsWith?.some((p) => v.endsWith(p))) return false;
  return true;
}

/** The logging trails of the request's account that select this (data) event. */
export function selectingTrails(store: Store, facts: CallFacts): readonly TrailRow[] {
  const trails = loggingTrails(store, facts.recipientAccountId);
  if (trails.length === 0) return trails;
  const ev: SelectedEvent = {
    management: false, readOnly: isReadOnly(facts.service, facts.operation), eventSource: eventSourceOf(facts.service), eventName: facts.operation,
    resource: facts.resource, region: facts.region, global: false,
  };
  return trails.filter((t) => trailSelects(t, ev));
}
