/**
 * Process-level properties of the access layer, checked in child processes with their own cwd and heap:
 * no ./snowflake.log and no driver log lines on stdout; streaming keeps memory bounded where collecting
 * does not.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { createScriptedEngine } from '../../standins/snowflake/scripted-engine.js';

const run = promisify(execFile);
const repo = path.resolve(fileURLToPath(import.meta.url), '../../..');
const child = path.join(repo, 'test/snowflake/fixtures/client-child.ts');
// An absolute URL: the child's cwd is an empty temp folder, where a bare 'tsx' would not resolve.
const tsxLoader = pathToFileURL(path.join(repo, 'node_modules/tsx/dist/loader.mjs')).href;
let standin: SnowflakeStandin;

beforeAll(async () => {
  standin = await startSnowflakeStandin({ engine: createScriptedEngine(), chunkRows: 10_000 });
});
afterAll(() => standin?.close());

async function runChild(mode: string, rows: number, cwd: string): Promise<{ result: Record<string, unknown>; stdout: string; stderr: string }> {
  const { stdout, stderr } = await run(process.execPath, ['--expose-gc', '--import', tsxLoader, child, mode, String(rows)], {
    cwd,
    env: {
      ...process.env,
      SF_ACCOUNT: standin.account,
      SF_URL: standin.accessUrl,
      SF_USER: standin.defaultUser.user,
      SF_PASSWORD: standin.defaultUser.password,
    },
    maxBuffer: 16 * 1024 * 1024,
  });
  const lines = stdout.trim().split('\n');
  return { result: JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>, stdout, stderr };
}

describe('driver logging', () => {
  it('writes no snowflake.log and no driver lines on stdout (control: the raw driver does)', async () => {
    const ours = mkdtempSync(path.join(tmpdir(), 'sf-cwd-ours-'));
    const { result, stdout } = await runChild('stream', 10, ours);
    expect(result).toMatchObject({ count: 10, ordered: true });
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(ours)).toEqual([]);

    const control = mkdtempSync(path.join(tmpdir(), 'sf-cwd-raw-'));
    const raw = await runChild('raw-driver', 0, control);
    expect(raw.result).toEqual({ mode: 'raw-driver' });
    expect(existsSync(path.join(control, 'snowflake.log'))).toBe(true);
  });
});

describe('memory', () => {
  it('stream() keeps the live heap bounded; collecting the same rows does not', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'sf-mem-'));
    const rows = 300_000;
    const streamed = (await runChild('stream', rows, cwd)).result;
    const collected = (await runChild('collect', rows, cwd)).result;
    expect(streamed).toMatchObject({ count: rows, ordered: true });
    expect(collected).toMatchObject({ count: rows });
    const streamGrowth = streamed.peakHeapGrowthBytes as number;
    const collectGrowth = collected.peakHeapGrowthBytes as number;
    // Collecting holds every row (~30 MB here); streaming holds about two prefetched chunks (~10 MB
    // measured, including driver code loaded on first use), whatever the row count.
    expect(collectGrowth).toBeGreaterThan(20 * 1024 * 1024);
    expect(streamGrowth).toBeLessThan(collectGrowth / 2);
  });
});
