/**
 * Verification of the SNOWFLAKE_JWT login token (key-pair authentication). The driver signs
 * `{iss: "<ACCOUNT>.<USER>.SHA256:<fp>", sub: "<ACCOUNT>.<USER>", iat, exp}` with RS256, where iat/exp are
 * MILLISECONDS (reference §2.2, auth_keypair.js) while other clients send seconds, so both are accepted.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

/** Snowflake's lifetime cap for a key-pair JWT (docs: at most one hour after issue). */
const MAX_LIFETIME_MS = 60 * 60 * 1000;
const CLOCK_SKEW_MS = 60 * 1000;

/** `SHA256:<base64 of sha256(SPKI DER)>`, the fingerprint Snowflake shows as RSA_PUBLIC_KEY_FP. */
export function publicKeyFingerprint(publicKeyPem: string | KeyObject): string {
  const key = typeof publicKeyPem === 'string' ? createPublicKey(publicKeyPem) : publicKeyPem;
  const der = key.export({ format: 'der', type: 'spki' });
  return 'SHA256:' + createHash('sha256').update(der).digest('base64');
}

export interface JwtCheck {
  ok: boolean;
  /** Why it was rejected (for SYSTEM$GET_LOGIN_FAILURE_DETAILS-like diagnostics; never sent to clients). */
  reason?: string;
}

function decodePart(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function toMillis(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return value > 1e11 ? value : value * 1000; // seconds (other drivers) vs milliseconds (Node driver)
}

/**
 * Checks signature (against any of the user's registered keys, selected by the fingerprint in `iss`),
 * subject, issuer and expiry.
 */
export function verifyKeypairJwt(
  token: string,
  expected: { account: string; user: string; publicKeysPem: string[]; nowMs?: number },
): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not a JWT' };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodePart(headerPart);
  const payload = decodePart(payloadPart);
  if (!header || !payload) return { ok: false, reason: 'undecodable JWT' };
  if (header.alg !== 'RS256') return { ok: false, reason: `unsupported alg ${String(header.alg)}` };

  const subject = `${expected.account}.${expected.user}`.toUpperCase();
  if (typeof payload.sub !== 'string' || payload.sub.toUpperCase() !== subject) {
    return { ok: false, reason: `sub ${String(payload.sub)} does not match ${subject}` };
  }
  const iss = typeof payload.iss === 'string' ? payload.iss : '';
  const issPrefix = `${subject}.`;
  if (!iss.toUpperCase().startsWith(issPrefix)) return { ok: false, reason: `iss ${iss} does not start with ${issPrefix}` };
  const fingerprint = iss.slice(issPrefix.length);

  const key = expected.publicKeysPem.map((pem) => createPublicKey(pem)).find((k) => publicKeyFingerprint(k) === fingerprint);
  if (!key) return { ok: false, reason: `no registered public key has fingerprint ${fingerprint}` };
  const signed = Buffer.from(`${headerPart}.${payloadPart}`, 'utf8');
  if (!verify('RSA-SHA256', signed, key, Buffer.from(signaturePart, 'base64url'))) {
    return { ok: false, reason: 'signature does not verify' };
  }

  const now = expected.nowMs ?? Date.now();
  const iat = toMillis(payload.iat);
  const exp = toMillis(payload.exp);
  if (iat === null || exp === null) return { ok: false, reason: 'iat/exp missing' };
  if (exp <= now) return { ok: false, reason: 'JWT expired' };
  if (iat > now + CLOCK_SKEW_MS) return { ok: false, reason: 'JWT issued in the future' };
  if (exp - iat > MAX_LIFETIME_MS) return { ok: false, reason: 'JWT lifetime exceeds one hour' };
  return { ok: true };
}
