/**
 * What the bench counts from outside: every query request of a session (failed ones included), result
 * chunk downloads apart, kept after logout; and the statement latency that stands in for a real warehouse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { connect, destroy, query, standinOptions } from '../../standins/snowflake/driver-helpers.js';
import { createScriptedEngine } from '../../standins/snowflake/scripted-engine.js';

let standin: SnowflakeStandin;

beforeAll(async () => {
  standin = await startSnowflakeStandin({ engine: createScriptedEngine() });
});

afterAll(async () => {
  await standin.close();
});

describe('Snowflake stand-in: statements per session', () => {
  it('counts each query request of its own session, failed ones too, and keeps the count after logout', async () => {
    const first = await connect(standinOptions(standin));
    const second = await connect(standinOptions(standin));
    await query(first, 'SELECT CONTEXT');
    await query(first, 'UPDATE T SET X = 1');
    await query(first, 'NO SUCH STATEMENT').catch(() => undefined);
    await query(second, 'SELECT CONTEXT');
    await destroy(first);
    await destroy(second);
    const counts = standin.observed.statements.slice(-2);
    expect(counts.map((c) => c.statements)).toEqual([3, 1]);
    expect(counts.every((c) => c.user === 'SANDBOX_USER' && c.chunkDownloads === 0)).toBe(true);
    expect(new Set(counts.map((c) => c.sessionId)).size).toBe(2);
  });

  it('adds the statement latency to every answer once set', async () => {
    const connection = await connect(standinOptions(standin));
    try {
      standin.setStatementLatency(300);
      const slow = performance.now();
      await query(connection, 'SELECT CONTEXT');
      // A lower bound only: the delay is a timer the stand-in waits before answering.
      expect(performance.now() - slow).toBeGreaterThanOrEqual(300);
    } finally {
      standin.setStatementLatency(0);
      await destroy(connection);
    }
  });
});
