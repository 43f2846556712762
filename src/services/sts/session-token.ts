import { issueSession, type SessionRecord } from '../../identity/sessions.js';
import { operation } from '../operation.js';
import { stsAccessDenied } from './errors.js';
import { consumeMfa, verifyRequestMfa } from './mfa.js';

/**
 * GetSessionToken: temporary credentials that act as the calling IAM user (or root user)
 * itself, typically to prove MFA: with SerialNumber + TokenCode the session carries
 * aws:MultiFactorAuthPresent "true" and aws:MultiFactorAuthAge. Its permissions are the
 * user's own, read live. No permission is needed to call it; session credentials cannot.
 * It writes: the session is stored (and an MFA code marked used).
 */
export const DEFAULT_SESSION_TOKEN_SECONDS = 43_200;
/** The root user's sessions last at most an hour (longer requests are shortened). */
export const ROOT_SESSION_MAX_SECONDS = 3600;

export const GetSessionToken = operation({
  writes: true,
  // "You cannot use policies to control authentication operations": GetSessionToken needs no permission.
  authorize: () => null,
  run: (ctx, input: { DurationSeconds?: number; SerialNumber?: string; TokenCode?: string }) => {
    const caller = ctx.principal;
    if (caller.tokenIssuedAt !== undefined) throw stsAccessDenied('Cannot call GetSessionToken with session credentials');
    if (caller.type !== 'user' && caller.type !== 'root') throw stsAccessDenied('Cannot call GetSessionToken with session credentials');
    const proof = verifyRequestMfa(ctx, input.SerialNumber, input.TokenCode);
    let seconds = input.DurationSeconds ?? DEFAULT_SESSION_TOKEN_SECONDS;
    if (caller.type === 'root') seconds = Math.min(seconds, ROOT_SESSION_MAX_SECONDS);
    consumeMfa(ctx.store, proof);

    const { accessKeyId: _key, ...rest } = caller;
    const principal: SessionRecord['principal'] = { ...rest, tags: {}, tokenIssuedAt: ctx.now };
    if (proof) principal.mfaAuthenticatedAt = ctx.now;
    const record: SessionRecord = { kind: 'session-token', principal };
    if (caller.type === 'user') record.base = { kind: 'user', id: caller.userId };
    return { Credentials: issueSession(ctx.store, record, ctx.now, ctx.now + seconds * 1000) };
  },
});
