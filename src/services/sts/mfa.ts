import type { Principal } from '../../identity/principal.js';
import type { Store } from '../../store/store.js';
import type { RequestContext } from '../types.js';
import { acceptMfaCode, checkMfaCode, type MfaDeviceRow, type MfaOwner } from '../iam/mfa/mfa-rows.js';
import { MFA_MESSAGES, stsAccessDenied } from './errors.js';

/**
 * SerialNumber + TokenCode on AssumeRole and GetSessionToken: the code must come from an
 * MFA device enabled for the caller (an IAM user or the root user) and must not have been
 * accepted before. A valid code makes this request MFA-authenticated — the trust policy
 * sees aws:MultiFactorAuthPresent "true" and aws:MultiFactorAuthAge "0" — and the new
 * session carries that authentication time.
 */
export interface MfaProof {
  device: MfaDeviceRow;
  step: number;
}

function ownerOf(p: Principal): MfaOwner | undefined {
  if (p.type === 'root') return { accountId: p.accountId, root: true };
  if (p.type === 'user') return { accountId: p.accountId, userId: p.userId };
  return undefined;
}

/**
 * Checks the request's MFA parameters; undefined when it brings none (or when --auth off
 * trusts everyone, and so every code). Writes nothing.
 */
export function verifyRequestMfa(ctx: RequestContext, serial: string | undefined, code: string | undefined): MfaProof | undefined {
  if (serial === undefined && code === undefined) return undefined;
  if (serial === undefined || code === undefined) throw stsAccessDenied(MFA_MESSAGES.both);
  if (ctx.authMode === 'off') return undefined;
  const owner = ownerOf(ctx.principal);
  if (!owner) throw stsAccessDenied(MFA_MESSAGES.noDevice);
  const check = checkMfaCode(ctx.store, owner, serial, code, ctx.now);
  if (!check.ok) throw stsAccessDenied(check.reason === 'noDevice' ? MFA_MESSAGES.noDevice : MFA_MESSAGES.invalidCode);
  return { device: check.device, step: check.step };
}

/** Marks the code used, so the same code cannot authenticate another request. */
export function consumeMfa(store: Store, proof: MfaProof | undefined): void {
  if (proof) acceptMfaCode(store, proof.device, proof.step);
}

/** The condition keys a valid code adds to this request's own evaluation (the trust policy's). */
export function mfaRequestKeys(proof: MfaProof | undefined): Record<string, string> {
  return proof ? { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '0' } : {};
}
