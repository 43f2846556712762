import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Principal } from '../../identity/principal.js';
import type { Decision } from '../../policy/index.js';
import { AwsError } from '../../protocol/errors.js';
import type { Store } from '../../store/store.js';
import { operation } from '../operation.js';

/**
 * Encoded authorization messages: services such as EC2 answer a denial with an opaque
 * "Encoded authorization failure message"; sts:DecodeAuthorizationMessage turns it back
 * into the JSON document that says what was asked, by whom, and what decided it.
 *
 * Messages are sealed (AES-256-GCM) with a key of the account they were issued in, so
 * only that account can read them, and they cannot be forged.
 */

/** The decoded document, in AWS's shape. */
export interface AuthorizationMessage {
  allowed: boolean;
  explicitDeny: boolean;
  matchedStatements: { items: Array<Record<string, unknown>> };
  failures: { items: Array<Record<string, unknown>> };
  context: {
    principal: { id: string; name?: string; arn: string };
    action: string;
    resource: string;
    conditions: { items: Array<{ key: string; values: { items: Array<{ value: string }> } }> };
  };
}

/** The document for one evaluated request. */
export function authorizationMessage(
  principal: Principal,
  request: { action: string; resource: string; context?: Record<string, string | string[]> },
  decision: Decision,
): AuthorizationMessage {
  const conditions = Object.entries(request.context ?? {}).map(([key, v]) => ({
    key,
    values: { items: (Array.isArray(v) ? v : [v]).map((value) => ({ value })) },
  }));
  const who: AuthorizationMessage['context']['principal'] = { id: principal.userId, arn: principal.arn };
  const name = principal.userName ?? principal.sessionName;
  if (name !== undefined) who.name = name;
  return {
    allowed: decision.decision === 'allowed',
    explicitDeny: decision.decision === 'explicitDeny',
    matchedStatements: {
      items: decision.matched.map((m) => ({
        statementId: m.sid ?? '',
        effect: m.effect.toUpperCase(),
        policy: m.policyName,
        policyType: m.policyType,
        position: { line: m.line, column: m.column },
      })),
    },
    failures: { items: [] },
    context: { principal: who, action: request.action, resource: request.resource, conditions: { items: conditions } },
  };
}

function accountKey(store: Store, accountId: string): Buffer {
  const found = store.prepare<{ key: Buffer }>('SELECT key FROM authorization_message_keys WHERE account_id = ?').get(accountId);
  if (found) return found.key;
  const key = randomBytes(32);
  store.prepare('INSERT OR IGNORE INTO authorization_message_keys (account_id, key) VALUES (?, ?)').run(accountId, key);
  return store.prepare<{ key: Buffer }>('SELECT key FROM authorization_message_keys WHERE account_id = ?').get(accountId)!.key;
}

/**
 * Seals a message for the account whose caller was denied. Call it where the denial is
 * built (outside a transaction that will roll back, or the account's first key is lost
 * with it and the message cannot be opened).
 */
export function encodeAuthorizationMessage(store: Store, accountId: string, message: AuthorizationMessage): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', accountKey(store, accountId), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(message), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

function invalidMessage(): AwsError {
  return new AwsError('InvalidAuthorizationMessageException', 'The specified encoded message is not valid.', 400);
}

export function decodeAuthorizationMessage(store: Store, accountId: string, encoded: string): string {
  const bytes = Buffer.from(encoded.trim(), 'base64url');
  if (bytes.length < 29) throw invalidMessage();
  try {
    const decipher = createDecipheriv('aes-256-gcm', accountKey(store, accountId), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw invalidMessage();
  }
}

/** Writes: an account's first message key is made when it is first needed. */
export const DecodeAuthorizationMessage = operation({
  writes: true,
  authorize: () => ({ action: 'sts:DecodeAuthorizationMessage', resource: '*' }),
  run: (ctx, input: { EncodedMessage: string }) => ({
    DecodedMessage: decodeAuthorizationMessage(ctx.store, ctx.accountId, input.EncodedMessage),
  }),
});
