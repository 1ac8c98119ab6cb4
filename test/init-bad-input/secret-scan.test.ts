/**
 * A full non-interactive `init` (REST key and Snowflake password from the environment), scanned for the
 * secrets: stdout, stderr, every file written under the working folder and HOME, and the arguments of every
 * process on the machine, sampled from /proc while the run lasts.
 */
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUserConfig, DEFAULT_ACCOUNT_NAME, startSnowflakeStandin, type SnowflakeStandin } from '../standins/snowflake/index.js';
import { connectAs, ensureBuilt } from '../wizard-tty/wizard-tty.js';
import { readTree, runCli, workspace } from './run-cli.js';

const REST_KEY = 'scanRestKey8d3f0a61c2b94e57';
const PASSWORD = 'scanSfPassword5b71e0c9d2';
let standin: SnowflakeStandin;

beforeAll(async () => {
  ensureBuilt();
  standin = await startSnowflakeStandin({ seed: 'demo', profile: 'full', account: { name: DEFAULT_ACCOUNT_NAME, users: [{ ...defaultUserConfig(), password: PASSWORD }] } });
}, 180_000);
afterAll(() => standin?.close());

/** Every process's argv, read from /proc, until `stop()`; returns all distinct command lines seen. */
function sampleArguments(): { stop(): Promise<Set<string>> } {
  const seen = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const pid of await readdir('/proc').catch(() => [] as string[])) {
        if (!/^\d+$/.test(pid)) continue;
        const args = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (args) seen.add(args.split('\0').join(' '));
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}

describe('secrets during a full non-interactive init', () => {
  it('never appear in output, written files or any process arguments', async () => {
    const ws = await workspace();
    const sampler = sampleArguments();
    const run = await runCli(
      ['init', '--access-url', standin.accessUrl, '--no-interactive', '--yes', '--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--id-column', 'CUSTOMER_ID', '--project-key', 'project_scan', '--skip-image', '--image-tag', '0.1.0', '--verbose'],
      {
        cwd: ws.cwd,
        env: { PATH: process.env.PATH, HOME: ws.home, SNOWFLAKE_ACCOUNT: standin.account, SNOWFLAKE_USER: standin.defaultUser.user, SNOWFLAKE_PASSWORD: PASSWORD, BATCH_REST_API_KEY: REST_KEY, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true' },
      },
    );
    const commandLines = await sampler.stop();
    expect(run.stderr).toContain('Saved the answers');
    expect(run.code).toBe(0);

    // The scan saw the run itself, and the run really used the key (a SECRET now exists).
    expect([...commandLines].some((line) => line.includes('batch-snowflake.js init'))).toBe(true);
    const session = await connectAs(standin);
    try {
      const { rows } = await session.query<{ name: string }>('SHOW SECRETS IN DATABASE DEMO_DB');
      expect(rows.map((r) => r.name)).toContain('BATCH_API_KEY_SECRET');
    } finally {
      await session.destroy();
    }

    const files = [...(await readTree(ws.cwd)), ...(await readTree(ws.home))];
    expect(files.map((f) => f.file)).toContain(ws.configPath);
    for (const secret of [REST_KEY, PASSWORD]) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
      for (const { file, content } of files) expect(content, file).not.toContain(secret);
      for (const line of commandLines) expect(line).not.toContain(secret);
    }
  }, 120_000);
});
