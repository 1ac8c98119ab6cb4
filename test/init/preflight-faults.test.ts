/**
 * Issue 12 §2, fault injection: for each apply step whose failure has a cause init can see beforehand, that
 * cause is injected and `init --yes` must stop before writing anything — no statement that changes the
 * account (the stand-in records every statement it receives, under any role), no docker push, and
 * batch-snowflake.json byte-identical. Real CLI, real snowflake-sdk, the Batch sandbox, real docker.
 *
 *   step that would fail            injected cause                                  exit
 *   secret / first run (Batch 401)  wrong REST API key                              7
 *   secret / first run (Batch 403)  a project key the REST key cannot use           7
 *   docker login (registry)         the account's registry unreachable              6
 *   stream on the view              a view with GROUP BY (streams cannot track it)  2
 *   stream on the view              a plain view reading such a view (nested)        2
 *   every run (profiles overwrite)  a non-unique ID column                          2
 * Missing privileges, no SPCS and a refused service-owner role are covered by init-profiles.test.ts.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../shared/errors.js';
import { isolatedDocker } from '../support/docker.js';
import { saveSandboxAnswers, startProfileRig, VIEW, writes, type ProfileRig } from './profile-support.js';

/** Nothing listens on the discard port: `docker login` to this registry is refused. */
const DEAD_REGISTRY = '127.0.0.1:9';

describe('init stops before writing anything when a later step would fail', () => {
  let rig: ProfileRig;
  let docker: Awaited<ReturnType<typeof isolatedDocker>>;
  let savedConfig: string;

  beforeAll(async () => {
    docker = await isolatedDocker();
    rig = await startProfileRig({
      snowflake: { profile: 'full', registry: { host: DEAD_REGISTRY }, jobRunner: 'process' },
      env: { DOCKER_CONFIG: docker.configDir },
    });
    const admin = rig.sandbox.snowflake.runtime!;
    // Another team's repository: it tells the account's registry host before ours exists (reference §2.4).
    await admin.runAsAdmin('CREATE IMAGE REPOSITORY DEMO_DB.PUBLIC.TEAM_IMAGES');
    await admin.runAsAdmin('GRANT READ ON IMAGE REPOSITORY DEMO_DB.PUBLIC.TEAM_IMAGES TO ROLE SYSADMIN');
    await admin.runAsAdmin('CREATE VIEW DEMO_DB.PUBLIC.SIGNUPS_PER_DAY AS SELECT SIGNUP_DATE, COUNT(*) AS SIGNUPS FROM DEMO_DB.PUBLIC.CUSTOMERS GROUP BY SIGNUP_DATE');
    await admin.runAsAdmin('GRANT SELECT ON VIEW DEMO_DB.PUBLIC.SIGNUPS_PER_DAY TO ROLE SYSADMIN');
    await admin.runAsAdmin('CREATE VIEW DEMO_DB.PUBLIC.BUSY_DAYS AS SELECT SIGNUP_DATE, SIGNUPS FROM DEMO_DB.PUBLIC.SIGNUPS_PER_DAY WHERE SIGNUPS > 1');
    await admin.runAsAdmin('GRANT SELECT ON VIEW DEMO_DB.PUBLIC.BUSY_DAYS TO ROLE SYSADMIN');
    await saveSandboxAnswers(rig, { skipImage: true, imageTag: '0.1.0' });
    savedConfig = await readFile(rig.configPath, 'utf8');
  }, 120_000);

  afterAll(async () => {
    await rig?.close();
    await docker?.cleanup();
  });

  beforeEach(() => {
    rig.statements.length = 0;
  });

  async function expectNothingWritten(): Promise<void> {
    expect(writes(rig.statements)).toEqual([]);
    expect(await readFile(rig.configPath, 'utf8')).toBe(savedConfig);
  }

  const answers = (view = VIEW, idColumn = 'CUSTOMER_ID') => ['init', '--view', view, '--id-column', idColumn, '--yes', '--json'];
  const noImage = ['--skip-image', '--image-tag', '0.1.0'];
  const errorOf = (stdout: string) => (JSON.parse(stdout) as { error: { code: string; message: string; suggestion: string } }).error;

  it('a wrong REST API key (the secret step and every run would get 401)', async () => {
    const run = await rig.cli([...answers(), ...noImage], { BATCH_REST_API_KEY: 'not-the-batch-key' });
    expect(run.code, run.stderr).toBe(EXIT_CODES.batch);
    expect(errorOf(run.stdout)).toMatchObject({ code: 'BATCH_KEY_REFUSED' });
    expect(errorOf(run.stdout).suggestion).toContain('Batch dashboard');
    expect(run.stdout + run.stderr).not.toContain('not-the-batch-key');
    await expectNothingWritten();
  });

  it('a project key the REST key cannot use (403)', async () => {
    const run = await rig.cli([...answers(), ...noImage, '--project-key', 'project_of_someone_else']);
    expect(run.code, run.stderr).toBe(EXIT_CODES.batch);
    expect(errorOf(run.stdout)).toMatchObject({ code: 'BATCH_PROJECT_REFUSED' });
    await expectNothingWritten();
  });

  it("the account's registry unreachable (docker login would fail after the objects were created)", async () => {
    const run = await rig.cli([...answers(), '--image-tag', 'faults-1']);
    expect(run.code, run.stderr).toBe(EXIT_CODES.docker);
    // The stand-in fronts the registry (session-token login); behind it nothing answers.
    expect(errorOf(run.stdout).message).toMatch(/^Not applied: docker login to the Snowflake registry 127\.0\.0\.1:\d+ failed: /);
    expect(run.stderr).toMatch(/✔ Batch accepted the REST API key/);
    await expectNothingWritten();
  });

  it('a view streams on views cannot track (the stream step would fail)', async () => {
    const run = await rig.cli([...answers('DEMO_DB.PUBLIC.SIGNUPS_PER_DAY', 'SIGNUP_DATE'), ...noImage, '--date-columns', '', '--url-columns', '']);
    expect(run.code, run.stderr).toBe(EXIT_CODES.usage);
    expect(errorOf(run.stdout)).toMatchObject({ code: 'VIEW_NOT_STREAMABLE' });
    expect(errorOf(run.stdout).message).toContain('uses GROUP BY');
    await expectNothingWritten();
  });

  it('a plain view over such a view (nested views count, as Snowflake expands them)', async () => {
    const run = await rig.cli([...answers('DEMO_DB.PUBLIC.BUSY_DAYS', 'SIGNUP_DATE'), ...noImage, '--date-columns', '', '--url-columns', '']);
    expect(run.code, run.stderr).toBe(EXIT_CODES.usage);
    expect(errorOf(run.stdout).message).toContain('View DEMO_DB.PUBLIC.BUSY_DAYS reads view DEMO_DB.PUBLIC.SIGNUPS_PER_DAY, which uses GROUP BY');
    await expectNothingWritten();
  });

  it('a non-unique ID column (profiles would overwrite each other on every run)', async () => {
    const run = await rig.cli([...answers(VIEW, 'FIRST_NAME'), ...noImage]);
    expect(run.code, run.stderr).toBe(EXIT_CODES.usage);
    expect(errorOf(run.stdout)).toMatchObject({ code: 'ID_COLUMN_UNSUITABLE' });
    await expectNothingWritten();
  });

  it('with every cause fixed, the same command applies (the checks do not refuse a good setup)', async () => {
    const run = await rig.cli([...answers(), ...noImage]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/✔ Batch accepted the REST API key for project /);
    expect(writes(rig.statements).length).toBeGreaterThan(5);
  });
});
