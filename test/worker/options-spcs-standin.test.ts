/**
 * End to end through real parts: options parsed as in an SPCS container (token file + SNOWFLAKE_* env with
 * the http/port overrides) → our Snowflake client with the real snowflake-sdk → the Snowflake stand-in →
 * a row of every Snowflake type → the payload transform. Proves the transform reads values exactly as the
 * driver hands them over, and that a rotated token is picked up on the next connection.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransform } from '../../shared/payload/index.js';
import { connect } from '../../shared/snowflake/client.js';
import { parseWorkerOptions, toPayloadMapping } from '../../worker/options.js';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { createScriptedEngine } from '../../standins/snowflake/scripted-engine.js';

let standin: SnowflakeStandin;
let tokenFile: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  standin = await startSnowflakeStandin({ engine: createScriptedEngine() });
  const dir = mkdtempSync(path.join(tmpdir(), 'worker-spcs-'));
  tokenFile = path.join(dir, 'token');
  env = {
    BATCH_SNOWFLAKE_TOKEN_FILE: tokenFile,
    SNOWFLAKE_HOST: '127.0.0.1',
    SNOWFLAKE_PROTOCOL: 'http',
    SNOWFLAKE_PORT: String(standin.port),
    SNOWFLAKE_ACCOUNT: standin.account,
    SNOWFLAKE_DATABASE: standin.defaultUser.database,
    SNOWFLAKE_SCHEMA: standin.defaultUser.schema,
    SNOWFLAKE_ROLE: standin.defaultUser.role,
  };
});

afterAll(async () => {
  await standin?.close();
});

// The scripted engine's `SELECT TYPES` row (standins/snowflake/scripted-engine.ts): N = -42 serves as ID.
const ARGS = ['--project-key', 'project_x', '--source-stream', 'DEMO_DB.PUBLIC.S', '--id-column', 'n', '--date-columns', 'D, NTZ,ltz,TZ', '--dry-run'];

describe('worker options in SPCS against the stand-in', () => {
  it('connects with the session token and turns every Snowflake type into the expected payload', async () => {
    writeFileSync(tokenFile, standin.accounts.issueOAuthToken(standin.defaultUser.user, standin.defaultUser.role));
    const options = parseWorkerOptions(ARGS, { env });
    expect(options.snowflake.kind).toBe('spcs');
    const session = await connect(await options.snowflake.resolve());
    try {
      const { rows, columns } = await session.query('SELECT TYPES');
      const transform = createTransform(columns, toPayloadMapping(options));
      const [full, nulls] = rows.map((row) => transform.toOperation(row));
      expect(full?.operation).toEqual({
        identifiers: { custom_id: '-42' },
        attributes: {
          amount: 12345.67,
          r: 1.5,
          s: 'héllo "world"',
          b: true,
          'date(d)': '2023-11-14T00:00:00Z',
          t: expect.stringMatching(/^12:34:56/),
          'date(ntz)': '2023-11-14T22:13:20Z',
          'date(ltz)': '1969-12-31T23:59:58Z',
          'date(tz)': '2023-11-14T22:13:20Z',
        },
      });
      expect(full?.rejections.map((r) => [r.column, r.reason])).toEqual([
        ['V', 'object_not_supported'],
        ['A', 'invalid_array_item'],
        ['O', 'object_not_supported'],
        ['BIN', 'unsupported_type'],
      ]);
      expect(nulls).toEqual({ operation: null, rejections: [expect.objectContaining({ scope: 'row', reason: 'missing_id', column: 'N' })] });
    } finally {
      await session.destroy();
    }
  });

  it('picks up a rotated token on the next connection', async () => {
    const first = standin.accounts.issueOAuthToken(standin.defaultUser.user, standin.defaultUser.role);
    writeFileSync(tokenFile, first);
    const plan = parseWorkerOptions(ARGS, { env }).snowflake;
    await (await connect(await plan.resolve())).destroy();
    standin.accounts.revokeOAuthToken(first);
    writeFileSync(tokenFile, standin.accounts.issueOAuthToken(standin.defaultUser.user, standin.defaultUser.role));
    const session = await connect(await plan.resolve());
    try {
      const { rows } = await session.query('SELECT CONTEXT');
      expect(rows[0]).toMatchObject({ ROLE: standin.defaultUser.role });
    } finally {
      await session.destroy();
    }
  });
});
