/**
 * Issue 12 §3: an ID column that is not unique, or NULL on too many rows, is a hard stop before anything is
 * written (exit 2 with the fix), unless the user accepts it with --allow-duplicate-ids / --allow-null-ids;
 * the preview counts these problems on the whole source. Real CLI entry point, real driver, stand-in.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NULL_ID_THRESHOLD } from '../../src/wizard/id-column-check.js';
import { connectionArgs, READ_ONLY, runCli, startRecordingStandin, tempDir, type RecordingStandin } from './support.js';

const VIEW = ['--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--project-key', 'PK_IDS', '--target', 'DEMO_DB.PUBLIC', '--skip-image', '--image-tag', 'i1'];

describe('init refuses an unsuitable ID column', () => {
  let sf: RecordingStandin;
  let work: Awaited<ReturnType<typeof tempDir>>;
  let env: NodeJS.ProcessEnv;
  const configFile = () => path.join(work.dir, 'batch-snowflake.json');
  const writes = () => sf.statements.filter((s) => !READ_ONLY.test(s));

  beforeAll(async () => {
    sf = await startRecordingStandin();
    work = await tempDir('bs-init-ids-');
    env = { HOME: work.dir, PATH: process.env.PATH, SNOWFLAKE_PASSWORD: sf.standin.defaultUser.password, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true', BATCH_REST_API_KEY: 'rest-key-ids-123' };
  });
  afterAll(async () => {
    await sf?.close();
    await work?.cleanup();
  });
  beforeEach(() => {
    sf.statements.length = 0;
  });

  it('a non-unique column stops --no-interactive with the fix, before any write', async () => {
    const run = await runCli(['init', ...connectionArgs(sf.standin), ...VIEW, '--id-column', 'FIRST_NAME', '--yes', '--json'], { env, cwd: work.dir });
    expect(run.code).toBe(2);
    const envelope = JSON.parse(run.stdout) as { ok: boolean; error: { code: string; message: string; suggestion: string } };
    expect(envelope.error.code).toBe('ID_COLUMN_UNSUITABLE');
    expect(envelope.error.message).toMatch(/ID column FIRST_NAME is not unique: \d+ of 1000 row\(s\) repeat an ID/);
    expect(envelope.error.suggestion).toContain('--allow-duplicate-ids');
    expect(envelope.error.suggestion).toContain('--id-column');
    expect(run.stderr).not.toContain('Setup complete');
    expect(writes()).toEqual([]);
    expect(existsSync(configFile())).toBe(false);
  });

  it('--allow-duplicate-ids accepts it, and the preview counts the duplicates instead of "No validation problems"', async () => {
    const run = await runCli(['init', ...connectionArgs(sf.standin), ...VIEW, '--id-column', 'FIRST_NAME', '--allow-duplicate-ids', '--dry-run', '--json'], { env, cwd: work.dir });
    expect(run.code).toBe(0);
    const { result } = JSON.parse(run.stdout) as { result: { preview: { idColumn: { rows: number; duplicates: number; nulls: number } } } };
    expect(result.preview.idColumn.rows).toBe(1000);
    expect(result.preview.idColumn.duplicates).toBeGreaterThan(900);
    expect(run.stderr).toMatch(new RegExp(`^\\s+${result.preview.idColumn.duplicates} × duplicate_id`, 'm'));
    expect(run.stderr).not.toContain('No validation problems');
  });

  async function nullIdSource(nullRows: number): Promise<string[]> {
    const file = path.join(work.dir, `src-${nullRows}.sql`);
    await writeFile(file, `SELECT IFF(CUSTOMER_ID <= ${nullRows}, NULL, CUSTOMER_ID) AS ID, EMAIL FROM DEMO_DB.PUBLIC.CUSTOMER_PROFILES`);
    return ['--view-sql', file, '--view-name', `IDS_${nullRows}`, '--id-column', 'ID', '--project-key', 'PK_IDS', '--target', 'DEMO_DB.PUBLIC', '--skip-image', '--image-tag', 'i1'];
  }

  it(`NULL IDs above ${NULL_ID_THRESHOLD * 100} % of the rows stop the run unless --allow-null-ids`, async () => {
    const nulls = 1000 * NULL_ID_THRESHOLD * 2;
    const refused = await runCli(['init', ...connectionArgs(sf.standin), ...(await nullIdSource(nulls)), '--yes'], { env, cwd: work.dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${nulls} of 1000 row(s) (2.0 %) have no ID: they will never sync.`);
    expect(refused.stderr).toContain('--allow-null-ids');
    expect(writes()).toEqual([]);

    const accepted = await runCli(['init', ...connectionArgs(sf.standin), ...(await nullIdSource(nulls)), '--allow-null-ids', '--dry-run'], { env, cwd: work.dir });
    expect(accepted.code).toBe(0);
    expect(accepted.stderr).toMatch(new RegExp(`^\\s+${nulls} × missing_id: no ID, the row never syncs`, 'm'));
  });

  it('a few NULL IDs (at most the threshold) are said with their count, without consent', async () => {
    const run = await runCli(['init', ...connectionArgs(sf.standin), ...(await nullIdSource(5)), '--dry-run'], { env, cwd: work.dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('ID column ID: 5 of 1000 row(s) (0.5 %) have no ID: they will never sync.');
  });
});
