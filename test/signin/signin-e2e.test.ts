/**
 * Every sign-in method end to end through the built CLI and the real snowflake-sdk, on an account that blocks
 * password-only sign-in (Snowflake, 2026: https://docs.snowflake.com/en/user-guide/security-mfa-rollout):
 * `init --run-now` connects, runs the preflight, applies the plan, builds the image and pushes it after
 * `docker login -u 0sessiontoken` with that method's session (registry gateway), starts the task and waits for
 * its first run. Each method's test also counts the CLI's sign-ins (one per command) and checks the method's
 * bad input: a clear message, the fix, exit code 3, nothing written.
 */
import { generateKeyPairSync } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedDocker, requireDockerBaseImage } from '../support/docker.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { ensureBuilt } from '../wizard-tty/wizard-tty.js';
import { initArgs, signInProbeArgs, startSignInRig, type SignInRig } from './signin-support.js';

let registry: TestRegistry;
let docker: Awaited<ReturnType<typeof isolatedDocker>>;
let baseImage: string;
const images: string[] = [];

beforeAll(async () => {
  ensureBuilt();
  baseImage = requireDockerBaseImage();
  registry = await startRegistry({ username: 'SANDBOX_USER' });
  docker = await isolatedDocker();
}, 180_000);

afterAll(async () => {
  for (const ref of images) await docker?.docker.removeImage(ref).catch(() => undefined);
  await registry?.stop();
  await docker?.cleanup();
});

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const keyBody = (key: ReturnType<typeof rsa>) => key.publicKey.export({ type: 'spki', format: 'pem' }).toString().replace(/-----[A-Z ]+-----|\s/g, '');

async function withRig(user: Parameters<typeof startSignInRig>[0]['user'], body: (rig: SignInRig) => Promise<void>): Promise<void> {
  const rig = await startSignInRig({ registry, dockerConfig: docker.configDir, baseImage, ...(user ? { user } : {}) });
  try {
    await body(rig);
  } finally {
    await rig.close();
  }
}

/** A refused sign-in: exit 3 (connection), the code and fix in the output, no secret, batch-snowflake.json unchanged. */
async function expectRefused(rig: SignInRig, run: Promise<{ code: number | null; stdout: string; stderr: string }>, code: string, fix: RegExp, secrets: string[] = []): Promise<void> {
  const config = path.join(rig.dir, 'batch-snowflake.json');
  const before = await readFile(config, 'utf8');
  const result = await run;
  expect(result.code, result.stderr).toBe(3);
  const json = JSON.parse(result.stdout) as { ok: boolean; error: { code: string; message: string; suggestion: string } };
  expect(json.error.code).toBe(code);
  expect(`${json.error.message}\n${json.error.suggestion}`).toMatch(fix);
  for (const secret of secrets) expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
  expect(await readFile(config, 'utf8')).toBe(before);
}

/** init --run-now succeeded with one sign-in: objects, image pushed through the gateway, first run sent the rows. */
async function expectInitWorked(rig: SignInRig, tag: string, secrets: string[], env: Record<string, string>, authenticator: string): Promise<void> {
  const logins = rig.cliLogins();
  const run = await rig.cli(initArgs(tag), env);
  expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
  const gateway = rig.sandbox.snowflake.registryGateway!;
  const ref = `${gateway.host}/demo_db/batch_sync/batch_sync_repository/batch-snowflake-worker:${tag}`;
  images.push(ref);
  expect(run.stderr).toContain(`pushed ${ref}`);
  expect(run.stdout).toMatch(/First run — Run \S+: succeeded/);
  expect(run.stdout).toMatch(/profiles sent 1000\b/);
  expect(rig.cliLogins() - logins).toBe(1);
  expect(rig.sandbox.snowflake.observed.loginLog.filter((l) => l.application === 'batch-snowflake').at(-1)?.authenticator).toBe(authenticator);
  // docker logged in (before the build, and again right before the push) with this sign-in's session token.
  expect(gateway.log.issuedFor.length).toBeGreaterThanOrEqual(2);
  for (const secret of secrets) expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
  const status = await rig.cli(['status', '--json'], env);
  expect(status.code, status.stderr).toBe(0);
  expect(rig.cliLogins() - logins).toBe(2);
}

describe('sign-in methods end to end (init → preflight → apply → push → task run)', () => {
  it('key pair (SNOWFLAKE_JWT), encrypted key: the key set with ALTER USER … SET RSA_PUBLIC_KEY signs in; wrong passphrase and unregistered key are refused', async () => {
    await withRig(undefined, async (rig) => {
      const key = rsa();
      const keyFile = path.join(rig.dir, 'rsa_key.p8');
      await writeFile(keyFile, key.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'kp-phrase-never-shown' }), { mode: 0o600 });
      await rig.writeConnection({ authenticator: 'SNOWFLAKE_JWT', private_key_file: keyFile });
      await expectRefused(rig, rig.cli(signInProbeArgs(), { PRIVATE_KEY_PASSPHRASE: 'kp-phrase-never-shown' }), 'KEY_PAIR_REJECTED', /ALTER USER SANDBOX_USER SET RSA_PUBLIC_KEY|DESC USER/);
      await rig.admin(`ALTER USER SANDBOX_USER SET RSA_PUBLIC_KEY = '${keyBody(key)}'`);
      rig.sandbox.snowflake.accounts.blockSingleFactorPasswords = true;
      await expectRefused(rig, rig.cli(signInProbeArgs(), { PRIVATE_KEY_PASSPHRASE: 'wrong-phrase-never-shown' }), 'PRIVATE_KEY_PASSPHRASE_WRONG', /PRIVATE_KEY_PASSPHRASE/, ['wrong-phrase-never-shown']);
      await expectInitWorked(rig, `kp-${process.pid}`, ['kp-phrase-never-shown'], { PRIVATE_KEY_PASSPHRASE: 'kp-phrase-never-shown' }, 'SNOWFLAKE_JWT');
    });
  }, 600_000);

  it('programmatic access token made with ALTER USER … ADD PAT; expired and removed tokens are refused', async () => {
    await withRig(undefined, async (rig) => {
      const [row] = await rig.admin('ALTER USER SANDBOX_USER ADD PAT batch_cli DAYS_TO_EXPIRY = 30');
      const [old] = await rig.admin('ALTER USER SANDBOX_USER ADD PAT old_one DAYS_TO_EXPIRY = 1');
      const secret = String(row!.token_secret);
      rig.sandbox.snowflake.accounts.expireProgrammaticAccessToken('SANDBOX_USER', 'OLD_ONE');
      rig.sandbox.snowflake.accounts.blockSingleFactorPasswords = true;
      await rig.writeConnection({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN' });
      await expectRefused(rig, rig.cli(signInProbeArgs(), { SNOWFLAKE_TOKEN: String(old!.token_secret) }), 'PAT_EXPIRED', /ADD PROGRAMMATIC ACCESS TOKEN/, [String(old!.token_secret)]);
      await expectInitWorked(rig, `pat-${process.pid}`, [secret], { SNOWFLAKE_TOKEN: secret }, 'PROGRAMMATIC_ACCESS_TOKEN');
      // The test's administrator signs in with the password: lift the block for that one statement.
      rig.sandbox.snowflake.accounts.blockSingleFactorPasswords = false;
      await rig.admin('ALTER USER SANDBOX_USER REMOVE PAT batch_cli');
      rig.sandbox.snowflake.accounts.blockSingleFactorPasswords = true;
      await expectRefused(rig, rig.cli(signInProbeArgs(), { SNOWFLAKE_TOKEN: secret }), 'PAT_REJECTED', /SHOW USER PROGRAMMATIC ACCESS TOKENS/, [secret]);
    });
  }, 600_000);

  it('OAuth access token', async () => {
    await withRig(undefined, async (rig) => {
      const token = rig.sandbox.snowflake.accounts.issueOAuthToken('SANDBOX_USER', 'SYSADMIN', 3600);
      rig.sandbox.snowflake.accounts.blockSingleFactorPasswords = true;
      await rig.writeConnection({ authenticator: 'OAUTH' });
      await expectRefused(rig, rig.cli(signInProbeArgs(), { SNOWFLAKE_TOKEN: 'forged-oauth-token' }), 'OAUTH_TOKEN_REJECTED', /fresh token/);
      await expectInitWorked(rig, `oauth-${process.pid}`, [token], { SNOWFLAKE_TOKEN: token }, 'OAUTH');
    });
  }, 600_000);

  it('password + MFA: passcode for init, one Duo push per command for run; a denied or unanswered push is refused', async () => {
    await withRig({ password: 'mfa-password-never-shown', mfaPasscode: '246810', mfaPush: 'approve' }, async (rig) => {
      const accounts = rig.sandbox.snowflake.accounts;
      accounts.blockSingleFactorPasswords = true;
      accounts.allowClientMfaCaching = true;
      await rig.writeConnection({ authenticator: 'USERNAME_PASSWORD_MFA' });
      const password = { SNOWFLAKE_PASSWORD: 'mfa-password-never-shown' };
      await expectInitWorked(rig, `mfa-${process.pid}`, ['mfa-password-never-shown', '246810'], { ...password, SNOWFLAKE_PASSCODE: '246810' }, 'USERNAME_PASSWORD_MFA');
      expect(accounts.mfaPushes).toEqual([]);
      const logins = rig.cliLogins();
      const run = await rig.cli(['run', '--timeout', '300'], password);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(rig.cliLogins() - logins).toBe(1);
      expect(accounts.mfaPushes).toEqual([{ user: 'SANDBOX_USER', outcome: 'approve' }]);
      accounts.getUser('SANDBOX_USER')!.mfaPush = 'deny';
      await expectRefused(rig, rig.cli(signInProbeArgs(), password), 'MFA_PUSH_NOT_APPROVED', /Approve the Duo push|passcode/, ['mfa-password-never-shown']);
      accounts.getUser('SANDBOX_USER')!.mfaPush = 'timeout';
      await expectRefused(rig, rig.cli(signInProbeArgs(), password), 'MFA_PUSH_NOT_APPROVED', /timed out[\s\S]*Approve the Duo push/, ['mfa-password-never-shown']);
      expect(accounts.mfaPushes.map((p) => p.outcome)).toEqual(['approve', 'deny', 'timeout']);
    });
  }, 600_000);

  it('SSO (EXTERNALBROWSER): the "browser" signs in on the stand-in\'s page and completes the redirect to the driver\'s listener; a closed page times out', async () => {
    await withRig({ password: 'idp-password-never-shown' }, async (rig) => {
      rig.sandbox.snowflake.accounts.blockSingleFactorPasswords = true;
      // A browser stand-in for xdg-open ($BROWSER): signs in on the login page the driver opens and follows the
      // redirect to the driver's localhost listener, as a person's browser would; 'close' closes the page.
      const browser = path.join(rig.dir, 'browser.mjs');
      const log = path.join(rig.dir, 'browser.log');
      await writeFile(browser, [
        '#!/usr/bin/env node',
        "import { appendFileSync } from 'node:fs';",
        'const opened = new URL(process.argv[2]);',
        "appendFileSync(process.env.SSO_BROWSER_LOG, `${opened.pathname}\\n`);",
        "if (process.env.SSO_BROWSER_MODE === 'close') process.exit(0);",
        'const q = opened.searchParams;',
        "const form = new URLSearchParams({ login_name: q.get('login_name'), password: process.env.SSO_IDP_PASSWORD, proof_key: q.get('proof_key'), browser_mode_redirect_port: q.get('browser_mode_redirect_port') });",
        "const page = await fetch(new URL('/console/login', process.env.SSO_STANDIN_URL), { method: 'POST', body: form, redirect: 'manual' });",
        "await fetch(page.headers.get('location'));",
        '',
      ].join('\n'));
      await chmod(browser, 0o755);
      const env = { BROWSER: browser, SSO_BROWSER_LOG: log, SSO_STANDIN_URL: rig.sandbox.snowflake.accessUrl, SSO_IDP_PASSWORD: 'idp-password-never-shown' };
      // The driver posts /session/authenticator-request to https on port 443, which no local stand-in can serve;
      // disable_console_login = false makes it open Snowflake's own /console/login page instead.
      await rig.writeConnection({ authenticator: 'EXTERNALBROWSER', disable_console_login: 'false', login_timeout: '8' });
      await expectRefused(rig, rig.cli(signInProbeArgs(), { ...env, SSO_BROWSER_MODE: 'close' }), 'SSO_TIMEOUT', /browser[\s\S]*login_timeout/);
      await rig.writeConnection({ authenticator: 'EXTERNALBROWSER', disable_console_login: 'false' });
      await expectInitWorked(rig, `sso-${process.pid}`, ['idp-password-never-shown'], env, 'EXTERNALBROWSER');
      // One browser sign-in per command: the closed page, init's, status's.
      expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual(['/console/login', '/console/login', '/console/login']);
    });
  }, 600_000);

  it('a password-only user on an account that blocks it gets the key-pair and PAT setup commands; nothing is written', async () => {
    await withRig({ password: 'legacy-password-never-shown' }, async (rig) => {
      rig.sandbox.snowflake.accounts.blockSingleFactorPasswords = true;
      await rig.writeConnection({});
      const statements = rig.sandbox.snowflake.observed.loginLog.length;
      await expectRefused(rig, rig.cli([...initArgs('blocked'), '--json'], { SNOWFLAKE_PASSWORD: 'legacy-password-never-shown' }), 'PASSWORD_SIGN_IN_BLOCKED',
        /Multi-factor authentication is required[\s\S]*openssl genrsa[\s\S]*ALTER USER SANDBOX_USER SET RSA_PUBLIC_KEY[\s\S]*SNOWFLAKE_JWT[\s\S]*ADD PROGRAMMATIC ACCESS TOKEN/, ['legacy-password-never-shown']);
      expect(rig.sandbox.snowflake.observed.loginLog.length).toBe(statements);
      expect([...rig.sandbox.snowflake.runtime!.jobs.services.values()]).toEqual([]);
    });
  }, 120_000);
});
