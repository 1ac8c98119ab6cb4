/**
 * Shared pieces of the terminal tests: the built CLI (rebuilt when the sources are newer), a fresh
 * working folder and HOME per test, the pane's environment (Snowflake credentials by env, never by flag),
 * and the keys a person presses to get from the first question to the plan on the demo stand-in.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '../../shared/snowflake/client.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { startTmux, type TmuxSession } from '../support/tmux.js';

export const REPO = path.resolve(fileURLToPath(import.meta.url), '../../..');
export const BIN = path.join(REPO, 'bin/batch-snowflake.js');

function newestMtime(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .reduce((newest, entry) => Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs), 0);
}

/** `npm test` builds first; a file run alone rebuilds when src/ is newer than dist/. */
export function ensureBuilt(): void {
  const built = path.join(REPO, 'dist/src/cli/main.js');
  if (!existsSync(built) || statSync(built).mtimeMs < newestMtime(path.join(REPO, 'src'))) {
    execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
  }
}

export interface Folders {
  cwd: string;
  home: string;
}

export async function freshFolders(): Promise<Folders> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'bs-wizard-'));
  const cwd = path.join(root, 'project');
  const home = path.join(root, 'home');
  await Promise.all([mkdir(cwd), mkdir(home)]);
  return { cwd, home };
}

/** The pane's whole environment: the stand-in's user and password by env (SNOWFLAKE_*), nothing inherited. */
export function cliEnv(standin: SnowflakeStandin, home: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: home,
    LANG: 'C.UTF-8',
    SNOWFLAKE_ACCOUNT: standin.account,
    SNOWFLAKE_USER: standin.defaultUser.user,
    SNOWFLAKE_PASSWORD: standin.defaultUser.password,
    SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
    NO_PROXY: '127.0.0.1,localhost',
    ...extra,
  };
}

export async function startWizard(standin: SnowflakeStandin, folders: Folders, args: string[], extraEnv: Record<string, string | undefined> = {}): Promise<TmuxSession> {
  return startTmux({
    command: [process.execPath, BIN, 'init', '--access-url', standin.accessUrl, ...args],
    cwd: folders.cwd,
    env: cliEnv(standin, folders.home, extraEnv),
    width: 160,
    height: 50,
  });
}

/** The final confirmation; with --admin-role (or that choice) it first says which GRANTs run after it. */
export const CONFIRM_APPLY = /^\? (?:Run the (\d+) GRANT statement\(s\) above as (\S+), then apply|Apply) these (\d+) step\(s\)/m;

/** An active inquirer question starts its line with "? " (answered ones with "✔ "). */
export const asking = (start: string) => new RegExp(`^\\? ${start.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm');

/**
 * From the first question to the REST key prompt, the way a person answers on the demo seed: existing
 * view, typed filter in the searchable list, default target, the ID column moved to and back with the
 * arrows, pre-selected date columns kept, URL column toggled off and on with space, project key typed,
 * defaults for the rest, and missing privileges granted by running them as ACCOUNTADMIN.
 */
export async function answerUpToRestKey(t: TmuxSession, projectKey: string): Promise<void> {
  await t.waitFor(asking('Which data should be synced'));
  await t.keys('Enter');
  await t.waitFor(asking('View to sync'));
  await t.type('profiles');
  await t.waitFor(/^❯ DEMO_DB\.PUBLIC\.CUSTOMER_PROFILES/m);
  await t.keys('Enter');
  await t.waitFor(asking('Schema for the integration objects'));
  await t.keys('Enter');
  await t.waitFor(asking('What should Batch receive'));
  await t.keys('Enter'); // profile attributes (the default)
  await t.waitFor(asking('Which column holds the Batch custom user ID'));
  // Types as Snowflake names them (the driver's "fixed" is NUMBER(p,s)).
  await t.waitFor(/^❯ CUSTOMER_ID \(NUMBER\(38,0\)\)$/m);
  await t.keys('Down', 'Down', 'Up', 'Up', 'Enter');
  await t.waitFor(asking('Date attributes'));
  // Pre-selected from their DATE / TIMESTAMP types; kept as they are.
  await t.waitFor(/^.◉ SIGNUP_DATE \(DATE\)\n.◉ LAST_LOGIN_AT \(TIMESTAMP_TZ\)/m);
  await t.waitFor(/^ ◯ LIFETIME_VALUE \(NUMBER\(10,2\)\)$/m);
  await t.keys('Enter');
  await t.waitFor(asking('URL attributes'));
  // Suggested from the sampled values (all URLs); the cursor starts on EMAIL, not suggested.
  await t.waitFor(/^❯◯ EMAIL$[\s\S]*^ ◉ PROFILE_URL$/m);
  await t.keys('Down', 'Down', 'Down');
  await t.waitFor(/^❯◉ PROFILE_URL/m);
  await t.keys('Space');
  await t.waitFor(/^❯◯ PROFILE_URL/m);
  await t.keys('Space');
  await t.waitFor(/^❯◉ PROFILE_URL/m);
  await t.keys('Enter');
  await t.waitFor(asking('Batch project key'));
  await t.type(projectKey);
  await t.keys('Enter');
  for (const question of ['Where should the Batch REST API key', 'Compute pool', 'Image repository', 'How often', 'Send every existing row', 'Alerts from Snowflake']) {
    await t.waitFor(asking(question));
    await t.keys('Enter');
  }
  await t.waitFor(asking('How do you want to get these privileges'));
  await t.keys('Enter');
  await t.waitFor(asking('Role to run them with'));
  await t.keys('Enter');
  await t.waitFor(asking('Batch REST API key (hidden'), 30_000);
}

/**
 * The demo account as most real ones are: SYSADMIN lacks CREATE COMPUTE POOL (an ACCOUNTADMIN privilege by
 * default, https://docs.snowflake.com/en/user-guide/security-access-control-overview#system-defined-roles), so the
 * wizard finds a missing privilege and asks how to get it. The stand-in's built-in "full" profile grants it.
 */
export async function startDemoStandinWithoutPoolPrivilege(): Promise<SnowflakeStandin> {
  const standin = await startSnowflakeStandin({ seed: 'demo' });
  const admin = await connectAs(standin);
  try {
    await admin.query(`REVOKE CREATE COMPUTE POOL ON ACCOUNT FROM ROLE ${standin.defaultUser.role}`);
  } finally {
    await admin.destroy();
  }
  return standin;
}

/** A session through the real driver (the way a person would check with SHOW). */
export function connectAs(standin: SnowflakeStandin, role = 'ACCOUNTADMIN'): Promise<SnowflakeSession> {
  return connect({ account: standin.account, accessUrl: standin.accessUrl, username: standin.defaultUser.user, password: standin.defaultUser.password, role, warehouse: standin.defaultUser.warehouse });
}

/** SGR colour sequences (ESC [ … m with a foreground/background colour), as capture-pane -e shows them. */
export const COLOUR_SGR = /\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;5;\d+|38;2;[\d;]+)[0-9;]*m/;
