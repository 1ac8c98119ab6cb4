/** sharingMetadataReads: each distinct SHOW / DESC is sent once per command; everything else goes through. */
import { expect, it } from 'vitest';
import { sharingMetadataReads } from '../../src/operate/metadata-reads.js';
import type { QueryResult, SnowflakeSession } from '../../shared/snowflake/types.js';

function recordingSession(): { session: SnowflakeSession; sent: string[] } {
  const sent: string[] = [];
  const session = {
    query: async (sql: string) => {
      sent.push(sql);
      if (sql.startsWith('SHOW MISSING')) throw new Error('002003');
      return { columns: [], rows: [{ name: 'A' }, { name: 'B' }] } as unknown as QueryResult;
    },
    stream: () => ({ columns: Promise.resolve([]), rows: (async function* () {})() }),
    sessionToken: async () => 'token',
    destroy: async () => undefined,
  } as unknown as SnowflakeSession;
  return { session, sent };
}

it('sends a SHOW or DESC once however many parts ask for it, at the same time or later', async () => {
  const { session, sent } = recordingSession();
  const shared = sharingMetadataReads(session);
  await Promise.all([shared.query('SHOW COMPUTE POOLS LIKE \'P\''), shared.query('SHOW COMPUTE POOLS LIKE \'P\'')]);
  await shared.query('SHOW COMPUTE POOLS LIKE \'P\'');
  await shared.query('DESC INTEGRATION I');
  await shared.query('DESC INTEGRATION I');
  expect(sent).toEqual(['SHOW COMPUTE POOLS LIKE \'P\'', 'DESC INTEGRATION I']);
});

it('sends every other statement, and statements with binds, each time', async () => {
  const { session, sent } = recordingSession();
  const shared = sharingMetadataReads(session);
  await shared.query('SELECT CURRENT_TIMESTAMP() AS NOW');
  await shared.query('SELECT CURRENT_TIMESTAMP() AS NOW');
  await shared.query('SHOW TASKS LIKE ?', ['T']);
  await shared.query('SHOW TASKS LIKE ?', ['T']);
  expect(sent).toHaveLength(4);
});

it('gives each caller its own row list, and the same failure to every caller of a failing SHOW', async () => {
  const { session, sent } = recordingSession();
  const shared = sharingMetadataReads(session);
  const first = await shared.query('SHOW SCHEMAS');
  first.rows.reverse();
  expect((await shared.query('SHOW SCHEMAS')).rows).toEqual([{ name: 'A' }, { name: 'B' }]);
  await expect(shared.query('SHOW MISSING')).rejects.toThrow('002003');
  await expect(shared.query('SHOW MISSING')).rejects.toThrow('002003');
  expect(sent.filter((sql) => sql === 'SHOW MISSING')).toHaveLength(1);
});
