/**
 * Condition keys against the statement's actions: a service key the named actions never
 * carry makes the condition fail (or, with IfExists, do nothing) for those actions, and a
 * tag key used with services that do not support it silently changes what the statement
 * allows or denies.
 */
import type { ActionCatalog, ActionInfo, ConditionKeyInfo } from './catalog.js';
import { actionSupportsConditionKey, catalogMemo } from './catalog-queries.js';
import type { LooseClause, LooseStatement } from './validate-document.js';
import { Findings, keyAt } from './validate-findings.js';
import { hasWildcard } from './validate-match.js';

const TAG_KEYS = /^aws:(RequestTag\/.+|ResourceTag\/.+|TagKeys)$/i;

export function checkConditionKeysForActions(s: LooseStatement, known: { clause: LooseClause; info: ConditionKeyInfo }[], f: Findings, catalog: ActionCatalog): void {
  for (const { clause, info } of known) {
    const at = keyAt(clause.operatorPath, clause.key, clause.keySpan);
    if (TAG_KEYS.test(clause.key)) {
      checkTagKeyServices(s, clause, at, f, catalog);
      continue;
    }
    if (info.global || !s.action) continue;
    const prefix = clause.key.slice(0, clause.key.indexOf(':'));
    if (!catalog.isKnownService(prefix)) continue; // identity-provider keys (saml:, accounts.google.com:) belong to sts
    const named = namedActions(s, catalog);
    const unsupported = named.filter((a) => !actionSupportsConditionKey(catalog, a, clause.key));
    if (unsupported.length === 0) continue;
    f.add('UNSUPPORTED_ACTION_FOR_CONDITION_KEY',
      `The following actions: ${unsupported.map((a) => `${a.service}:${a.name}`).join(', ')} are not supported by the condition key ${clause.key}. The condition will not be evaluated for these actions. We recommend that you move these actions to a different statement without this condition key.`,
      at);
  }
}

/** Actions the statement names outright (wildcards are deliberate breadth, not a mistake). */
function namedActions(s: LooseStatement, catalog: ActionCatalog): ActionInfo[] {
  const out: ActionInfo[] = [];
  for (const v of s.action?.values ?? []) {
    const colon = v.value.indexOf(':');
    if (colon < 0 || hasWildcard(v.value)) continue;
    const a = catalog.findAction(v.value.slice(0, colon), v.value.slice(colon + 1));
    if (a) out.push(a);
  }
  return out;
}

/** Does any action of the service carry this tag key? (Remembered: scanning a service is the slow part.) */
function serviceSupportsKey(catalog: ActionCatalog, service: string, key: string): boolean {
  const serviceSupport = catalogMemo<boolean>(catalog, 'serviceSupportsTagKey');
  const template = key.replace(/\/.*$/, '/').toLowerCase();
  const id = `${service.toLowerCase()} ${template}`;
  let known = serviceSupport.get(id);
  if (known === undefined) {
    known = catalog.actionsOfService(service).some((a) => actionSupportsConditionKey(catalog, a, key));
    serviceSupport.set(id, known);
  }
  return known;
}

function checkTagKeyServices(s: LooseStatement, clause: LooseClause, at: ReturnType<typeof keyAt>, f: Findings, catalog: ActionCatalog): void {
  if (s.notAction) {
    if (s.effect === 'Deny') {
      f.add('DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE',
        `Using the effect Deny with NotAction and the tag condition key ${clause.key} can be overly permissive because some service actions are not denied by this statement. This is because the condition key doesn't apply to some service actions. We recommend that you use Action instead of NotAction.`, at);
    } else if (s.effect === 'Allow') {
      f.add('ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE',
        `Using the effect Allow with NotAction and the tag condition key ${clause.key} allows only service actions that support the condition key. The condition key doesn't apply to some service actions. We recommend that you use Action instead of NotAction.`, at);
    }
    return;
  }
  const services = new Set<string>();
  for (const v of s.action?.values ?? []) {
    const colon = v.value.indexOf(':');
    if (colon <= 0) continue;
    const service = v.value.slice(0, colon).toLowerCase();
    if (!hasWildcard(service) && catalog.isKnownService(service)) services.add(service);
  }
  const unsupported = [...services].filter((svc) => !serviceSupportsKey(catalog, svc, clause.key));
  if (unsupported.length === 0) return;
  const list = unsupported.join(', ');
  if (s.effect === 'Deny') {
    f.add('DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE',
      `Using the effect Deny with the tag condition key ${clause.key} and actions for services with the following prefixes can be overly permissive: ${list}. Actions for the listed services are not denied by this statement. We recommend that you move these actions to a different statement without this condition key.`, at);
  } else if (s.effect === 'Allow') {
    f.add('ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE',
      `Using the effect Allow with the tag condition key ${clause.key} and actions for services with the following prefixes does not affect the policy: ${list}. Actions for the listed service are not allowed by this statement. We recommend that you move these actions to a different statement without this condition key.`, at);
  }
}
