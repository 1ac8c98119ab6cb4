/** `--loop-interval-seconds` (the continuous schedule's service): whole seconds 1-3600, never with a one-off run. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWorkerOptions } from '../../worker/options.js';

const home = mkdtempSync(path.join(tmpdir(), 'worker-loop-'));
const env = { BATCH_SNOWFLAKE_TOKEN_FILE: path.join(home, 'no-token'), SNOWFLAKE_HOME: path.join(home, 'sf') };
const parse = (extra: string[]) => parseWorkerOptions(['--project-key', 'p', '--source-stream', 'DB.SCH.S', '--id-column', 'ID', '--api-credentials-table', 'DB.SCH.C', ...extra], { env, home });

describe('--loop-interval-seconds', () => {
  it('is null without the flag (one run) and the number of seconds with it', () => {
    expect(parse([]).loopIntervalSeconds).toBeNull();
    expect(parse(['--loop-interval-seconds', '2']).loopIntervalSeconds).toBe(2);
  });

  it.each(['0', '-1', '1.5', 'abc', '3601'])('refuses %s with the fix', (value) => {
    expect(() => parse([`--loop-interval-seconds=${value}`])).toThrow(/--loop-interval-seconds is .*whole number of seconds from 1 to 3600/);
  });

  it('cannot be combined with a one-off run (--dry-run, --limit)', () => {
    expect(() => parse(['--loop-interval-seconds', '2', '--dry-run'])).toThrow(/cannot be combined/);
    expect(() => parse(['--loop-interval-seconds', '2', '--limit', '5'])).toThrow(/cannot be combined/);
  });
});
