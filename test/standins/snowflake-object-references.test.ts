/**
 * GET_OBJECT_REFERENCES in the stand-in, as documented at
 * https://docs.snowflake.com/en/sql-reference/functions/get_object_references (the docs' own example: nested views
 * across two databases; quoting of mixed-case names; OWNERSHIP of secure views in the chain). Qualification:
 * without a current database only `<db>.INFORMATION_SCHEMA.GET_OBJECT_REFERENCES` resolves (stricter choice, the
 * docs are silent; see engine/object-references.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SnowflakeEngine } from '../../standins/snowflake/engine/index.js';
import { demoEngine, login, type TestSession } from '../../standins/snowflake/engine/testing.js';

let engine: SnowflakeEngine;
let s: TestSession;

const refs = (sql: string) => s.rows(sql).then((rows) => rows.map((r) => `${r.REFERENCED_DATABASE_NAME}.${r.REFERENCED_SCHEMA_NAME}.${r.REFERENCED_OBJECT_NAME}:${r.REFERENCED_OBJECT_TYPE}`).sort());
const call = (db: string, schema: string, name: string, qualifier = 'EX1_GOR_Y.INFORMATION_SCHEMA.') =>
  `SELECT * FROM TABLE(${qualifier}GET_OBJECT_REFERENCES(DATABASE_NAME => '${db}', SCHEMA_NAME => '${schema}', OBJECT_NAME => '${name}'))`;

beforeEach(async () => {
  engine = await demoEngine('empty');
  s = await login(engine);
  // The docs' example, shortened to the views it queries.
  await s.run('CREATE DATABASE EX1_GOR_X');
  await s.run('USE DATABASE EX1_GOR_X');
  for (const t of ['X_TAB_A', 'X_TAB_B', 'X_TAB_C']) await s.run(`CREATE TABLE ${t} (MYCOL INT NOT NULL)`);
  await s.run('CREATE VIEW X_VIEW_E AS SELECT X_TAB_B.* FROM X_TAB_B, X_TAB_C WHERE X_TAB_B.MYCOL = X_TAB_C.MYCOL');
  await s.run('CREATE DATABASE EX1_GOR_Y');
  await s.run('USE DATABASE EX1_GOR_Y');
  await s.run('CREATE TABLE Y_TAB_A (MYCOL INT NOT NULL)');
  await s.run('CREATE VIEW Y_VIEW_F AS SELECT E.* FROM EX1_GOR_X.PUBLIC.X_VIEW_E E, EX1_GOR_X.PUBLIC.X_TAB_C C, Y_TAB_A WHERE E.MYCOL = Y_TAB_A.MYCOL AND E.MYCOL = C.MYCOL');
});

afterEach(async () => {
  await s.raw.close();
  await engine.close();
});

describe('GET_OBJECT_REFERENCES', () => {
  it('returns every table and view of the dependency chain, as in the docs example', async () => {
    expect(await refs(call('ex1_gor_y', 'public', 'y_view_f'))).toEqual([
      'EX1_GOR_X.PUBLIC.X_TAB_B:TABLE',
      'EX1_GOR_X.PUBLIC.X_TAB_C:TABLE',
      'EX1_GOR_X.PUBLIC.X_VIEW_E:VIEW',
      'EX1_GOR_Y.PUBLIC.Y_TAB_A:TABLE',
    ]);
    const [row] = await s.rows(call('EX1_GOR_Y', 'PUBLIC', 'Y_VIEW_F'));
    expect(Object.keys(row!)).toEqual(['DATABASE_NAME', 'SCHEMA_NAME', 'OBJECT_NAME', 'REFERENCED_DATABASE_NAME', 'REFERENCED_SCHEMA_NAME', 'REFERENCED_OBJECT_NAME', 'REFERENCED_OBJECT_TYPE']);
  });

  it('needs a current database unless qualified with <db>.INFORMATION_SCHEMA', async () => {
    const bare = await login(engine, { database: null as never, schema: null as never });
    try {
      await expect(bare.run(call('EX1_GOR_Y', 'PUBLIC', 'Y_VIEW_F', ''))).rejects.toMatchObject({ code: '090105', sqlState: '22000' });
      await expect(bare.run(call('EX1_GOR_Y', 'PUBLIC', 'Y_VIEW_F', 'INFORMATION_SCHEMA.'))).rejects.toMatchObject({ code: '090105' });
      expect(await bare.rows(call('EX1_GOR_Y', 'PUBLIC', 'Y_VIEW_F'))).toHaveLength(4);
    } finally {
      await bare.raw.close();
    }
    // With a current database the bare name resolves, as in the docs' example.
    expect(await refs(call('EX1_GOR_Y', 'PUBLIC', 'Y_VIEW_F', ''))).toHaveLength(4);
  });

  it('takes mixed-case names only double-quoted inside the single quotes', async () => {
    await s.run('CREATE SCHEMA "Mixed Schema"');
    await s.run('CREATE VIEW EX1_GOR_Y."Mixed Schema"."My View" AS SELECT * FROM EX1_GOR_Y.PUBLIC.Y_TAB_A');
    expect(await refs(call('EX1_GOR_Y', '"Mixed Schema"', '"My View"'))).toEqual(['EX1_GOR_Y.PUBLIC.Y_TAB_A:TABLE']);
    await expect(s.run(call('EX1_GOR_Y', 'Mixed Schema', 'My View'))).rejects.toMatchObject({ code: '002003' });
  });

  it('refuses a secure view in the chain that the role does not own, with the documented message', async () => {
    const admin = await login(engine, { role: 'ACCOUNTADMIN' as never, database: 'EX1_GOR_Y' as never });
    try {
      await admin.run('CREATE SECURE VIEW EX1_GOR_Y.PUBLIC.HIDDEN AS SELECT * FROM EX1_GOR_Y.PUBLIC.Y_TAB_A');
    } finally {
      await admin.raw.close();
    }
    await s.run('CREATE VIEW OVER_HIDDEN AS SELECT * FROM EX1_GOR_Y.PUBLIC.HIDDEN');
    const error = await s.run(call('EX1_GOR_Y', 'PUBLIC', 'OVER_HIDDEN')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '003001' });
    expect(String((error as Error).message)).toContain("Insufficient privileges to operate on view 'HIDDEN'");
  });
});
