/**
 * Every worker policy README documents can be chosen with `init` and reaches the deployed task (issue 12,
 * item 7), and `--batch-api-url` moves everything that talks to Batch at once (item 6): the network rule,
 * the worker's BATCH_API_URL and the preview. Through the real CLI, the real driver and the stand-in
 * (dry run), and the worker's own argument parser on the task's arguments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkerOptions } from '../../worker/options.js';
import { resolveAnswers } from '../../src/plan/names.js';
import { batchHostFromUrl, workerArgs, workerEnv } from '../../src/plan/task-steps.js';
import { BASE_ANSWERS } from '../plan/fixtures.js';
import { connectionArgs, DEMO_ANSWERS, READ_ONLY, runCli, startRecordingStandin, tempDir, type RecordingStandin } from './support.js';

const POLICIES = ['--null-policy', 'delete', '--delete-policy', 'unset', '--endpoint', 'update', '--rate', '150', '--burst', '300', '--concurrency', '2', '--mass-update-threshold', '0', '--mass-update-rate', '5000'];

describe('worker policies and the Batch URL, planned', () => {
  it('the task passes every chosen policy, and the worker accepts those arguments as they are', () => {
    const { answers, names } = resolveAnswers({ ...BASE_ANSWERS, worker: { nullPolicy: 'delete', deletePolicy: 'unset', endpoint: 'mass-update', rate: 150, burst: 300, concurrency: 2, massUpdateThreshold: 0, massUpdateRate: 5000 } });
    const args = workerArgs(answers, names);
    const parsed = parseWorkerOptions(args, { env: { BATCH_REST_API_KEY: 'k' } });
    expect(parsed).toMatchObject({ nullPolicy: 'delete', deletePolicy: 'unset', endpoint: 'mass-update', rate: 150, burst: 300, concurrency: 2, massUpdateThreshold: 0, massUpdateRate: 5000 });
  });

  it('defaults add no argument (an existing task keeps its text), and old configs without `worker` still parse', () => {
    const { answers, names } = resolveAnswers(BASE_ANSWERS);
    expect(answers.worker).toEqual({ nullPolicy: 'skip', deletePolicy: 'ignore', endpoint: 'auto' });
    expect(workerArgs(answers, names).filter((a) => /policy|endpoint|rate|burst|concurrency|threshold/.test(a))).toEqual([]);
  });

  it('--batch-api-url: https anywhere, http only on loopback (the sandbox), no path or credentials', () => {
    expect(batchHostFromUrl('https://api.batch.com')).toEqual({ host: 'api.batch.com' });
    expect(batchHostFromUrl('https://batch-proxy.example.com:8443/')).toEqual({ host: 'batch-proxy.example.com:8443' });
    expect(batchHostFromUrl('http://127.0.0.1:41234')).toEqual({ host: '127.0.0.1:41234' });
    expect(batchHostFromUrl('http://api.batch.com')).toMatchObject({ problem: expect.stringContaining('HTTPS only') });
    expect(batchHostFromUrl('https://127.0.0.1:41234')).toMatchObject({ problem: expect.stringContaining('plain http') });
    expect(batchHostFromUrl('https://api.batch.com/1.0')).toMatchObject({ problem: expect.stringContaining('without a path') });
    expect(batchHostFromUrl('https://u:p@api.batch.com')).toMatchObject({ problem: expect.stringContaining('credentials') });
    const { answers, names } = resolveAnswers({ ...BASE_ANSWERS, batchApiHost: '127.0.0.1:41234' });
    expect(workerEnv(answers, names)).toContainEqual({ name: 'BATCH_API_URL', value: 'http://127.0.0.1:41234' });
  });
});

describe('init --dry-run with worker policies and --batch-api-url (real CLI, stand-in)', () => {
  let sf: RecordingStandin;
  let work: Awaited<ReturnType<typeof tempDir>>;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    sf = await startRecordingStandin();
    work = await tempDir('bs-init-policies-');
    env = { PATH: process.env.PATH, HOME: work.dir, SNOWFLAKE_PASSWORD: sf.standin.defaultUser.password, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true', BATCH_REST_API_KEY: 'rest-key-never-printed-123' };
  });
  afterAll(async () => {
    await sf?.close();
    await work?.cleanup();
  });

  it('accepts --null-policy delete and the rest; the task, the network rule, the worker env and the preview follow', async () => {
    const run = await runCli(['init', ...connectionArgs(sf.standin), ...DEMO_ANSWERS, ...POLICIES, '--batch-api-url', 'http://127.0.0.1:41234', '--skip-image', '--image-tag', 'p1', '--dry-run'], { env, cwd: work.dir });
    expect(run.code, run.stderr).toBe(0);
    for (const arg of ['- "--null-policy"', '- "delete"', '- "--delete-policy"', '- "unset"', '- "--endpoint"', '- "update"', '- "--concurrency"']) expect(run.stdout).toContain(arg);
    expect(run.stdout).toContain("VALUE_LIST = ('127.0.0.1:41234')");
    expect(run.stdout).toContain('BATCH_API_URL: "http://127.0.0.1:41234"');
    expect(run.stderr).toContain('Batch will receive (at http://127.0.0.1:41234)');
    // The demo's first row has IS_SUBSCRIBED NULL: with --null-policy delete the preview sends it as null.
    expect(run.stderr).toMatch(/"custom_id":"1"\}.*"is_subscribed":null/);
    expect(sf.statements.filter((s) => !READ_ONLY.test(s))).toEqual([]);
  });

  it('an unknown policy or an http URL to a real host is a usage error (exit 2) naming the flag', async () => {
    const bad = await runCli(['init', ...connectionArgs(sf.standin), ...DEMO_ANSWERS, '--null-policy', 'drop', '--dry-run'], { env, cwd: work.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--null-policy/);
    const http = await runCli(['init', ...connectionArgs(sf.standin), ...DEMO_ANSWERS, '--batch-api-url', 'http://api.batch.com', '--dry-run'], { env, cwd: work.dir });
    expect(http.code).toBe(2);
    expect(http.stderr).toContain('--batch-api-url: Batch\'s API is HTTPS only');
  });
});
