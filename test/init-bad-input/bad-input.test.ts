/**
 * Every row of cases.ts through the built CLI, non-interactively, against stand-ins with the matching
 * account profile: the exit code, a message saying what happened, a suggestion saying what to do next,
 * no stack trace, no password or REST key echoed, and batch-snowflake.json byte-identical (or still absent,
 * with no other file written). A case may first install with a complete run (`setup`), or map image
 * repositories to another account's registry (which refuses this account's session token) or to a closed port.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultUserConfig, startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { startRegistry } from '../support/registry.js';
import type { SnowflakeEngine } from '../../standins/snowflake/engine/index.js';
import { ensureBuilt } from '../wizard-tty/wizard-tty.js';
import { CASES, type AccountKind, type BadInputCase } from './cases.js';
import { runCli, STACK_LINE, workspace } from './run-cli.js';

let closedPort = 0;

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  ensureBuilt();
  closedPort = await unusedPort();
}, 180_000);

/**
 * Two cases at a time (2-core machines): each runs a stand-in in this process and a CLI child; more at once
 * starves the stand-ins and turns cases into connection timeouts.
 */
const SLOTS = 2;
let free = SLOTS;
const waiting: Array<() => void> = [];
async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (free > 0) free -= 1;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else free += 1;
  }
}

/** A fresh account per case: a case that wrongly applies its plan must not disturb another one. */
async function startAccount(kind: AccountKind, registryHost?: string): Promise<SnowflakeStandin> {
  const standin = kind === 'no-spcs' ? await startSnowflakeStandin({ seed: 'demo', profile: 'full', spcs: false }) : await startSnowflakeStandin({ seed: 'demo', profile: kind });
  if (registryHost) (standin.engine as SnowflakeEngine).core.catalog.registryHost = registryHost;
  return standin;
}

/** Another account with a registry: its gateway refuses session tokens this case's account issued. */
async function foreignRegistry(): Promise<{ host: string; stop(): Promise<void> }> {
  const registry = await startRegistry({ username: defaultUserConfig().name });
  const other = await startSnowflakeStandin({ seed: 'empty', registry: { host: registry.host, username: registry.username, password: registry.password } });
  return { host: other.registryGateway!.host, stop: async () => { await other.close(); await registry.stop(); } };
}

/** The complete non-interactive run each case starts from (it succeeds against the full profile). */
function baseFlags(standin: SnowflakeStandin): Record<string, string | null> {
  return {
    '--access-url': standin.accessUrl,
    '--no-interactive': '',
    '--yes': '',
    '--view': 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES',
    '--id-column': 'CUSTOMER_ID',
    '--project-key': 'project_bad_input',
    '--skip-image': '',
    '--image-tag': '0.1.0',
  };
}

function argsFor(c: BadInputCase, standin: SnowflakeStandin, url = standin.accessUrl): string[] {
  const flags = { ...baseFlags(standin), '--access-url': url, ...c.flags };
  const args = ['init'];
  for (const [flag, value] of Object.entries(flags)) {
    if (value === null) continue;
    args.push(flag, ...(value === '' ? [] : [value]));
  }
  return [...args, ...(c.extra ?? [])];
}

describe.concurrent('init with bad input', () => {
  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)('$name', (c) => inSlot(async () => {
    const registry = c.registry === 'foreign' ? await foreignRegistry() : undefined;
    try {
      const standin = await startAccount(c.account ?? 'full', registry?.host ?? (c.registry === 'unreachable' ? `127.0.0.1:${closedPort}` : undefined));
      try {
        await checkCase(c, standin);
      } finally {
        await standin.close();
      }
    } finally {
      await registry?.stop();
    }
  }), 600_000);
});

async function checkCase(c: BadInputCase, standin: SnowflakeStandin): Promise<void> {
    const ws = await workspace();
    if (c.config !== undefined) await writeFile(ws.configPath, c.config);
    for (const [file, content] of Object.entries(c.files ?? {})) await writeFile(path.join(ws.cwd, file), content);
    const env = {
      PATH: process.env.PATH,
      HOME: ws.home,
      SNOWFLAKE_ACCOUNT: standin.account,
      SNOWFLAKE_USER: standin.defaultUser.user,
      SNOWFLAKE_PASSWORD: standin.defaultUser.password,
      SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
      BATCH_REST_API_KEY: 'restkey0123456789abcdef',
      ...c.env,
    };
    let config = c.config;
    if (c.setup === 'installed') {
      const first = await runCli(argsFor({ name: 'setup', code: 0, message: /./, suggestion: /./ }, standin), { cwd: ws.cwd, env, timeoutMs: 45_000 });
      expect(first.code, `setup run:\n${first.stderr}`).toBe(0);
      config = await readFile(ws.configPath, 'utf8');
    }
    const before = (await readdir(ws.cwd)).sort();
    const url = c.unreachable ? `http://127.0.0.1:${closedPort}` : standin.accessUrl;
    const run = await runCli(argsFor(c, standin, url), { cwd: ws.cwd, env, timeoutMs: 45_000 });
    const out = `${run.stdout}\n${run.stderr}`;

    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: c.code });
    // From the first ✖ line on: what failed, then (→) what to do; the fix may be in either part.
    const lines = run.stderr.split('\n');
    const failure = lines.findIndex((line) => line.startsWith('✖ '));
    expect(failure, `a ✖ line in:\n${run.stderr}`).toBeGreaterThanOrEqual(0);
    const tail = lines.slice(failure).join('\n');
    expect(tail).toMatch(c.message);
    expect(tail).toMatch(/^ {2}→ /m);
    expect(tail).toMatch(c.suggestion);
    expect(out).not.toMatch(STACK_LINE);
    expect(out).not.toMatch(/Internal error/);
    if (c.notEchoed) expect(out).not.toContain(c.notEchoed);
    for (const secret of [env.SNOWFLAKE_PASSWORD, env.BATCH_REST_API_KEY]) if (secret && secret.length >= 8) expect(out).not.toContain(secret);

    expect((await readdir(ws.cwd)).sort()).toEqual(before);
    if (config !== undefined) expect(await readFile(ws.configPath, 'utf8')).toBe(config);
}
