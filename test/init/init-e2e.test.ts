/**
 * The key end to end, on the `full` profile: `init --run-now` builds the worker image with the real
 * dockerd, logs in as 0sessiontoken with the CLI's session token and pushes it to a real local registry behind the
 * stand-in's registry gateway, creates the dedicated schema and every
 * object, and runs the task once: the stand-in starts the job as a container of that image (docker job runner,
 * --network host), which sends every row of the view to the Batch sandbox. Then a change in the base table
 * reaches the sandbox when the task runs again (`batch-snowflake run`). One image build for the whole file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../shared/snowflake/client.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { isolatedDocker, requireDockerBaseImage } from '../support/docker.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import type { StoredProfile } from '../../standins/batch/types.js';
import { saveSandboxAnswers, startProfileRig, VIEW, type ProfileRig } from './profile-support.js';

describe('init, then a change in the base table reaches Batch (docker image, full profile)', () => {
  let registry: TestRegistry;
  let docker: Awaited<ReturnType<typeof isolatedDocker>>;
  let rig: ProfileRig;
  const tag = `e2e-run-${process.pid}`;
  const imageRef = () => `${rig.sandbox.snowflake.registryGateway!.host}/demo_db/batch_sync/batch_sync_repository/batch-snowflake-worker:${tag}`;
  const profile = async (id: string): Promise<StoredProfile> => (await (await fetch(`${rig.sandbox.batch.apiUrl}/_sandbox/profiles/${id}`)).json()) as StoredProfile;

  beforeAll(async () => {
    const baseImage = requireDockerBaseImage();
    registry = await startRegistry({ username: 'SANDBOX_USER' });
    docker = await isolatedDocker();
    rig = await startProfileRig({
      snowflake: {
        profile: 'full',
        registry: { host: registry.host, username: 'SANDBOX_USER', password: registry.password },
        jobRunner: 'docker',
      },
      env: { DOCKER_CONFIG: docker.configDir, BATCH_SNOWFLAKE_BASE_IMAGE: baseImage },
    });
    await saveSandboxAnswers(rig);
  }, 120_000);

  afterAll(async () => {
    if (rig) await docker?.docker.removeImage(imageRef()).catch(() => undefined);
    await rig?.close();
    await registry?.stop();
    await docker?.cleanup();
  });

  it('init --run-now: image pushed, objects created in the dedicated schema, every row sent by the first run', async () => {
    const run = await rig.cli(['init', '--view', VIEW, '--id-column', 'CUSTOMER_ID', '--image-tag', tag, '--run-now', '--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/✔ Docker running \(engine [^)]+\)/);
    expect(run.stderr).toContain('+  schema DEMO_DB.BATCH_SYNC');
    expect(run.stderr).toContain(`pushed ${imageRef()}`);
    expect(run.stdout).toMatch(/First run — Run \S+: succeeded/);
    expect(run.stdout).toMatch(/rows captured 1000, profiles sent 1000, rejected 0/);
    const first = await profile('42');
    expect(first.identifiers).toMatchObject({ custom_id: '42' });
    expect(first.attributes.first_name).toMatchObject({ type: 'string' });
    expect(first.attributes.profile_url).toEqual({ type: 'url', value: 'https://example.com/customers/42' });
    // The task started one job, whose container ran the image init pushed (jobRunner 'docker': pulled from the registry).
    const services = [...rig.sandbox.snowflake.runtime!.jobs.services.values()];
    expect(services.flatMap((service) => service.containers.map((c) => c.image))).toEqual([`/demo_db/batch_sync/batch_sync_repository/batch-snowflake-worker:${tag}`]);
  }, 600_000);

  it('a change in the base table reaches the sandbox when the task runs (batch-snowflake run)', async () => {
    const s = rig.sandbox.connection.snowflake;
    let session: SnowflakeSession | undefined;
    try {
      session = await connect({ account: s.account, accessUrl: s.accessUrl, username: s.user, password: s.password, role: 'SYSADMIN', warehouse: s.warehouse });
      await session.query("UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Changed-by-e2e', PROFILE_URL = 'https://example.com/moved/42' WHERE ID = 42");
    } finally {
      await session?.destroy();
    }
    const before = await profile('42');
    expect(before.attributes.first_name).not.toEqual({ type: 'string', value: 'Changed-by-e2e' });

    const run = await rig.cli(['run', '--timeout', '300']);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/rows captured 1, profiles sent 1\b/);
    const after = await profile('42');
    expect(after.attributes.first_name).toEqual({ type: 'string', value: 'Changed-by-e2e' });
    expect(after.attributes.profile_url).toEqual({ type: 'url', value: 'https://example.com/moved/42' });
    expect(after.updates).toBe(before.updates + 1);
  }, 600_000);
});
