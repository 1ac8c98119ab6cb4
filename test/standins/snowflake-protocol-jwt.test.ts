import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publicKeyFingerprint, verifyKeypairJwt } from '../../standins/snowflake/keypair-jwt.js';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const fp = publicKeyFingerprint(publicPem);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function jwt(payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }): string {
  const signed = `${b64(header)}.${b64(payload)}`;
  return `${signed}.${sign('RSA-SHA256', Buffer.from(signed), privateKey).toString('base64url')}`;
}

const now = 1_700_000_000_000;
const claims = (extra: Record<string, unknown> = {}) => ({ iss: `SANDBOX.SVC.${fp}`, sub: 'SANDBOX.SVC', iat: now, exp: now + 120_000, ...extra });
const check = (token: string) => verifyKeypairJwt(token, { account: 'sandbox', user: 'svc', publicKeysPem: [publicPem], nowMs: now });

describe('key-pair JWT verification', () => {
  it('accepts the Node driver shape (iat/exp in milliseconds) and other drivers (seconds)', () => {
    expect(check(jwt(claims()))).toEqual({ ok: true });
    expect(check(jwt(claims({ iat: now / 1000, exp: now / 1000 + 60 })))).toEqual({ ok: true });
  });

  it.each([
    ['expired', claims({ exp: now - 1 }), /expired/],
    ['issued in the future', claims({ iat: now + 3_600_000, exp: now + 3_700_000 }), /future/],
    ['living longer than an hour', claims({ exp: now + 3_600_001 }), /one hour/],
    ['for another subject', claims({ sub: 'SANDBOX.ALICE' }), /sub/],
    ['with an unknown fingerprint', claims({ iss: 'SANDBOX.SVC.SHA256:AAAA' }), /fingerprint/],
  ])('rejects a JWT %s', (_what, payload, reason) => {
    const result = check(jwt(payload));
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(reason);
  });

  it('rejects a tampered payload, another algorithm and garbage', () => {
    const [h, , s] = jwt(claims()).split('.');
    expect(check(`${h}.${b64(claims({ sub: 'SANDBOX.SVC', exp: now + 600_000 }))}.${s}`).reason).toMatch(/signature/);
    expect(check(jwt(claims(), { alg: 'none' })).reason).toMatch(/alg/);
    expect(check('not-a-jwt').ok).toBe(false);
  });
});
