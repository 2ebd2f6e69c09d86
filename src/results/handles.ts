import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataMcpError } from '../results/errors.js';

/**
 * Opaque, short tokens for result handles and paging cursors (DESIGN §8), HMAC-bound to the
 * principal scope, the policy version and an expiry. A token minted for one principal, or
 * before a policy change, or tampered with, is refused.
 */
export interface TokenBinding {
  principalScope: string;
  policyVersion: string;
}

export interface OpaqueTokens {
  mint(kind: string, payload: Record<string, unknown>, binding: TokenBinding): string;
  open(kind: string, token: string, binding: TokenBinding): Record<string, unknown>;
}

const MAX_TOKEN_LENGTH = 4096;

export function createOpaqueTokens(secret: string | undefined, ttlSeconds: number, now: () => number = Date.now): OpaqueTokens {
  const key = secret ? Buffer.from(secret) : randomBytes(32);
  const mac = (kind: string, body: string, binding: TokenBinding) =>
    createHmac('sha256', key).update(`${kind}\0${binding.principalScope}\0${binding.policyVersion}\0${body}`).digest().subarray(0, 16);

  return {
    mint(kind, payload, binding) {
      const body = Buffer.from(JSON.stringify({ ...payload, x: Math.floor(now() / 1000) + ttlSeconds })).toString('base64url');
      return `${body}.${mac(kind, body, binding).toString('base64url')}`;
    },
    open(kind, token, binding) {
      const invalid = () => new DataMcpError('INVALID_ARGUMENT', `this ${kind} is not valid for you (tampered, foreign or from before a policy change)`, `Repeat the original call to get a fresh ${kind}.`);
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw invalid();
      const [body, sig] = token.split('.');
      if (!body || !sig || token.split('.').length !== 2) throw invalid();
      // Compared as text: base64url decoding ignores the spare low bits of the last character,
      // so comparing decoded bytes would accept several spellings of one signature.
      const expected = Buffer.from(mac(kind, body, binding).toString('base64url'));
      const given = Buffer.from(sig);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
      if (typeof payload.x !== 'number' || payload.x * 1000 < now()) {
        throw new DataMcpError('INVALID_ARGUMENT', `this ${kind} has expired`, `Repeat the original call to get a fresh ${kind}.`);
      }
      return payload;
    },
  };
}
