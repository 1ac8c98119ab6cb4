import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { connect, destroy, query, standinOptions, type Connection } from '../../standins/snowflake/driver-helpers.js';
import { createScriptedEngine } from '../../standins/snowflake/scripted-engine.js';

const CHUNK_ROWS = 7_000;
let standin: SnowflakeStandin;
let conn: Connection;

beforeAll(async () => {
  standin = await startSnowflakeStandin({ engine: createScriptedEngine(), chunkRows: CHUNK_ROWS });
  conn = await connect(standinOptions(standin));
});

afterAll(async () => {
  await destroy(conn).catch(() => undefined);
  await standin.close();
});

function streamAll(sqlText: string, onRow: (row: { ID: number; LABEL: string }) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    conn.execute({
      sqlText,
      streamResult: true,
      complete: (err, statement) => {
        if (err) return reject(err);
        const stream = statement.streamRows();
        stream.on('data', onRow);
        stream.on('error', reject);
        stream.on('end', () => resolve(statement.getNumRows()));
      },
    });
  });
}

describe('Snowflake stand-in: chunked large results', () => {
  it('streams 100 000 rows through streamRows() in order, across gzip chunks', async () => {
    let count = 0;
    let ordered = true;
    const total = await streamAll('GENERATE 100000', (row) => {
      if (row.ID !== count || row.LABEL !== `row-${count}`) ordered = false;
      count++;
    });
    expect(total).toBe(100_000);
    expect(count).toBe(100_000);
    expect(ordered).toBe(true);
  });

  it('serves the tail of the result as chunk URLs that need no Authorization header', async () => {
    const res = await fetch(`${standin.accessUrl}/queries/v1/query-request?requestId=chunk-probe`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Snowflake Token="${await sessionToken()}"` },
      body: JSON.stringify({ sqlText: 'GENERATE 15000' }),
    });
    const body = (await res.json()) as { data: { rowset: unknown[]; returned: number; chunks: Array<{ url: string; rowCount: number }> } };
    expect(body.data.rowset).toHaveLength(CHUNK_ROWS);
    expect(body.data.returned).toBe(15_000);
    expect(body.data.chunks.map((c) => c.rowCount)).toEqual([7_000, 1_000]);
    const chunk = await fetch(body.data.chunks[1]!.url);
    expect(chunk.headers.get('content-type')).not.toContain('json');
    const rows = JSON.parse(`[${await chunk.text()}]`) as string[][];
    expect(rows[0]).toEqual(['14000', 'row-14000']);
    expect(rows).toHaveLength(1_000);
    expect((await fetch(body.data.chunks[1]!.url.replace(/\/2$/, '/9'))).status).toBe(404);
  });

  it('collects a chunked result without streaming too', async () => {
    const { rows } = await query<{ ID: number }>(conn, 'GENERATE 20001');
    expect(rows).toHaveLength(20_001);
    expect(rows[20_000]!.ID).toBe(20_000);
  });

  it('keeps results of one chunk inline with no chunk list', async () => {
    const { rows } = await query(conn, `GENERATE ${CHUNK_ROWS}`);
    expect(rows).toHaveLength(CHUNK_ROWS);
  });
});

/** A session token of our own, obtained by logging in over plain HTTP as the driver does. */
async function sessionToken(): Promise<string> {
  const res = await fetch(`${standin.accessUrl}/session/v1/login-request?requestId=probe`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      data: { ACCOUNT_NAME: standin.account, LOGIN_NAME: standin.defaultUser.user, PASSWORD: standin.defaultUser.password, AUTHENTICATOR: 'SNOWFLAKE' },
    }),
  });
  const body = (await res.json()) as { success: boolean; data: { token: string } };
  expect(body.success).toBe(true);
  return body.data.token;
}
