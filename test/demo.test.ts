/**
 * `npm run demo` end to end, as CI runs it: no TTY, CI=true (so no prompts), docker when the daemon answers (the
 * demo then builds, pushes and runs the worker image). The expected values come from an independent stand-in
 * with the same demo seed, read through the real driver. Also: Ctrl-C in the middle stops and cleans up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../shared/snowflake/client.js';
import { runCommand } from '../src/adapters/proc/exec.js';
import { DELETED, DEMO_VIEW, INSERTED, UPDATED } from '../standins/demo/data.js';
import { PROJECT_DIR } from '../standins/demo/cli.js';
import { ORDERS } from '../standins/demo/orders.js';
import { processesWithArgument } from './support/docker.js';
import { startSnowflakeStandin, type SnowflakeStandin } from '../standins/snowflake/index.js';

interface DemoRun {
  code: number | null;
  output: string;
}

/** Starts the demo like `npm run demo` does (tsx), without a terminal; once `until.text` is printed, `until.then` runs. */
function runDemo(args: string[], until?: { text: string; then(child: ChildProcess, output: string): unknown }): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_DIR, 'standins', 'demo', 'demo.ts'), ...args], {
      cwd: PROJECT_DIR,
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let sent = false;
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (until && !sent && output.includes(until.text)) {
        sent = true;
        void Promise.resolve(until.then(child, output)).catch((error: unknown) => {
          child.kill('SIGKILL');
          reject(error);
        });
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

const lineOf = (output: string, pattern: RegExp): string => output.split('\n').find((l) => pattern.test(l)) ?? '';
const tableRow = (output: string, id: string): string => lineOf(output, new RegExp(`^  ${id} {2,}`));

/**
 * The orders event sync next to the customers profile sync: added with `init --sync orders --kind event` (a plan of
 * its own objects only), its run sends the orders placed between the runs as events, shown per profile with the
 * attributes, and `status` lists both syncs healthy.
 */
function expectOrdersSync(output: string): void {
  expect(output).toContain('$ batch-snowflake init --sync orders --kind event');
  expect(output).toContain('Adding sync orders');
  // The plans before the alert step (its `init --sync customers` plans the customers sync's alerts).
  const beforeAlerts = output.slice(0, output.indexOf('Alerts from inside Snowflake') >>> 0);
  const planLines = beforeAlerts.split('\n').filter((l) => /^ {2}│ {3}[+~-] /.test(l));
  const afterAdd = planLines.slice(planLines.findIndex((l) => l.includes('[orders]')));
  // The orders plan touches the orders sync's objects (and re-stores the given REST API key), never the customers sync's.
  expect(afterAdd.filter((l) => l.includes('[customers]'))).toEqual([]);
  expect(afterAdd.every((l) => l.includes('[orders]') || l.includes('secret '))).toBe(true);
  expect(afterAdd.some((l) => /\+ +\[orders\] stream \S+BATCH_SYNC_STREAM__ORDERS/.test(l))).toBe(true);
  // The orders run: 4 rows captured, 2 profiles (one operation each), the customers sync's second run unchanged.
  expect(output).toContain('$ batch-snowflake run --sync orders');
  expect(output).toContain(`rows captured ${ORDERS.length}, profiles sent 2`);
  // Per profile: the attributes table, then its last events (newest first) with their attributes and $label.
  const events = output.slice(output.indexOf('Last events per profile'));
  const block = (id: string) => {
    const lines = events.split('\n').slice(1);
    const start = lines.findIndex((l) => new RegExp(`^ {4}${id} +`).test(l));
    const end = lines.findIndex((l, k) => k > start && !/^ {10}\S/.test(l));
    return lines.slice(start, end);
  };
  for (const id of [...new Set(ORDERS.map((o) => o.customerId))]) {
    const expected = ORDERS.filter((o) => o.customerId === id).sort((a, b) => a.minutesAgo - b.minutesAgo);
    const shown = block(id);
    expect(shown, events).toHaveLength(expected.length);
    expected.forEach((o, k) => {
      expect(shown[k]).toMatch(new RegExp(`\\b${o.event} +\\d{4}-\\d\\d-\\d\\dT`));
      expect(shown[k]).toContain(JSON.stringify({ order_id: o.orderId, amount: o.amount, $label: o.channel }));
    });
  }
  expect(block('1')).toEqual([expect.stringMatching(/^ {4}1 +no event$/)]);
  expect(block(DELETED.id)).toEqual([expect.stringMatching(new RegExp(`^ {4}${DELETED.id} +no event$`))]);
  // status without --sync: one line per sync, both healthy.
  expect(lineOf(output, /│ . customers +profile/)).toMatch(/customers +profile +healthy +last run succeeded/);
  expect(lineOf(output, /│ . orders +event/)).toMatch(/orders +event +healthy +last run succeeded .* pending 0$/);
}

describe('npm run demo', () => {
  let standin: SnowflakeStandin;
  let viewRows: number;
  let emails: Map<string, string>;

  beforeAll(async () => {
    standin = await startSnowflakeStandin({ seed: 'demo' });
    const u = standin.defaultUser;
    const session = await connect({ account: standin.account, accessUrl: standin.accessUrl, username: u.user, password: u.password, role: u.role, warehouse: u.warehouse });
    try {
      viewRows = Number((await session.query<{ N: unknown }>(`SELECT COUNT(*) AS N FROM ${DEMO_VIEW}`)).rows[0]?.N);
      const rows = (await session.query<{ ID: unknown; EMAIL: string }>(`SELECT CUSTOMER_ID AS ID, EMAIL FROM ${DEMO_VIEW} WHERE CUSTOMER_ID IN (1, ${UPDATED.id}, ${DELETED.id})`)).rows;
      emails = new Map(rows.map((r) => [String(r.ID), r.EMAIL]));
    } finally {
      await session.destroy();
    }
  });

  afterAll(async () => {
    await standin?.close();
  });

  it('runs to the end non-interactively and shows the profiles that arrived', async () => {
    const run = await runDemo([]);
    expect(run.code, run.output).toBe(0);
    const { output } = run;
    expect(output).toContain('✔ Demo complete');
    expect(output).toContain('$ batch-snowflake init --yes --no-interactive');
    expect(lineOf(output, /On a real account: .*compute pool \(billed per node-hour/)).not.toBe('');

    // The first run sent the whole view; the second only the update and the insert (the delete is ignored).
    expect(output).toContain(`Batch sandbox now holds ${viewRows} profiles (the view has ${viewRows} rows).`);
    expect(output).toContain(`Profiles in the Batch sandbox: ${viewRows + 1} (rows in the view now: ${viewRows})`);
    expect(lineOf(output, /rows captured \d+, profiles sent/)).toContain(`rows captured ${viewRows}, profiles sent ${viewRows}`);
    expect(output).toContain('rows captured 2, profiles sent 2');

    expect(tableRow(output, '1')).toContain(emails.get('1'));
    expect(tableRow(output, UPDATED.id)).toContain(UPDATED.email);
    expect(tableRow(output, UPDATED.id)).toContain(String(UPDATED.lifetimeValue));
    expect(emails.get(UPDATED.id)).not.toBe(UPDATED.email);
    expect(tableRow(output, INSERTED.id)).toContain(INSERTED.email);
    expect(tableRow(output, INSERTED.id)).toContain(`${INSERTED.signupDate}T00:00:00Z`);
    expect(tableRow(output, DELETED.id)).toContain(emails.get(DELETED.id));
    expect(output).toMatch(/signup_date \(date\)/);
    expect(output).toMatch(/profile_url \(url\)/);
    expectOrdersSync(output);
    // The alert step: the reject alert's message reached the webhook catcher standing in for Slack.
    expect(output).toContain('batch-snowflake sync "customers": a run rejected more than 10% of its rows/attributes');
    expect(output).not.toContain('demoSecretPart');

    // Cleaned up: the working folder is gone, and with docker no image or container of its registry is left.
    const folder = /Working folder (\S+):/.exec(output)?.[1];
    expect(folder && existsSync(folder)).toBe(false);
    const registry = /Image registry (127\.0\.0\.1:\d+)/.exec(output)?.[1];
    if (output.includes('the worker image is built, pushed to a local registry')) {
      expect(registry).toBeDefined();
      const images = await runCommand('docker', ['image', 'ls', '--format', '{{.Repository}}'], { timeoutMs: 30_000 });
      expect(images.stdout.split('\n').filter((r) => r.startsWith(`${registry}/`))).toEqual([]);
      const containers = await runCommand('docker', ['ps', '-a', '--format', '{{.Image}}'], { timeoutMs: 30_000 });
      expect(containers.stdout.split('\n').filter((i) => i.startsWith(`${registry}/`))).toEqual([]);
      expect(output).toContain('no containers left');
    }
  }, 600_000);

  it('stops and cleans up on SIGINT in the middle of a step', async () => {
    const run = await runDemo(['--no-docker'], { text: '$ batch-snowflake run', then: (child) => child.kill('SIGINT') });
    expect(run.code, run.output).toBe(130);
    expect(run.output).toContain('stopping and cleaning up');
    expect(run.output).not.toContain('✔ Demo complete');
    const folder = /Working folder (\S+):/.exec(run.output)?.[1];
    expect(folder).toBeDefined();
    expect(existsSync(folder!)).toBe(false);
    // The stand-ins no longer listen.
    const snowflakeUrl = /Snowflake stand-in (http:\/\/127\.0\.0\.1:\d+)/.exec(run.output)?.[1];
    const reached = await fetch(`${snowflakeUrl}/`).then(() => true, () => false);
    expect(reached).toBe(false);
    // No CLI or worker process of this demo is left (the worker's arguments carry the demo's project key).
    const projectKey = /\(project (project_\w+),/.exec(run.output)?.[1];
    expect(projectKey).toBeDefined();
    expect(await processesWithArgument(projectKey!)).toEqual([]);
    expect(run.output).toContain('Cleaned up: stopped the stand-ins');
  }, 300_000);

  it('--keep leaves the stand-ins up, the printed instructions connect the CLI to them, SIGTERM cleans up', async () => {
    let status: { code: number; output: string } | undefined;
    const run = await runDemo(['--no-docker', '--keep'], {
      // The last instruction line: by then the `cd … && source demo.env` line above it is complete.
      text: 'curl -s ',
      then: async (child, output) => {
        const folder = /cd (\S+) && source demo\.env/.exec(output)?.[1];
        expect(folder).toBeDefined();
        const exported = (await readFile(path.join(folder!, 'demo.env'), 'utf8')).matchAll(/^export (\w+)='([^']*)'$/gm);
        const env = { PATH: process.env.PATH, ...Object.fromEntries([...exported].map((m) => [m[1]!, m[2]!])) };
        const result = await runCommand(process.execPath, [path.join(PROJECT_DIR, 'bin', 'batch-snowflake.js'), 'status'], { cwd: folder!, env, timeoutMs: 120_000 });
        status = { code: result.exitCode ?? -1, output: result.output };
        child.kill('SIGTERM');
      },
    });
    expect(status?.code, status?.output).toBe(0);
    expect(status?.output).toContain('healthy');
    expect(run.code, run.output).toBe(130);
    expect(run.output).toContain('Cleaned up: stopped the stand-ins');
  }, 300_000);

  it('refuses an unknown option with the usage', async () => {
    const run = await runDemo(['--bogus']);
    expect(run.code).toBe(2);
    expect(run.output).toContain('Unknown option --bogus');
    expect(run.output).toContain('--no-docker');
  }, 60_000);
});
