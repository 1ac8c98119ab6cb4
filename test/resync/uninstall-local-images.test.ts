/**
 * Issue 20 (smaller things): `uninstall` left the worker image's local tags (≈160 MB each) without a word.
 * Now it lists the tags init builds for the install's repository (`<registry host>/<db>/<schema>/<repo>/
 * batch-snowflake-worker:<tag>`), with their size and the command that removes them; `--remove-local-images`
 * removes them. Real dockerd (tags of the local base image, named after this worktree and pid), SPCS install on
 * the stand-ins, the real CLI in-process.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Docker } from '../../src/adapters/docker/docker.js';
import { requireDockerBaseImage } from '../support/docker.js';
import { cli, install, TARGET, type Installed } from '../operate/helpers/installed.js';

const docker = new Docker();
const made: string[] = [];
const installs: Installed[] = [];

/** An install with two local tags of its worker image, as init's builds leave them. */
async function installWithLocalTags(label: string): Promise<{ inst: Installed; refs: string[] }> {
  const inst = await install();
  installs.push(inst);
  const { rows } = await inst.admin.query<{ repository_url: string }>(`SHOW IMAGE REPOSITORIES LIKE 'BATCH_SYNC_REPOSITORY' IN SCHEMA ${TARGET}`);
  const url = rows[0]!.repository_url;
  const refs = ['a', 'b'].map((t) => `${url}/batch-snowflake-worker:resync-${label}-${process.pid}-${t}`);
  for (const ref of refs) {
    await docker.tag(requireDockerBaseImage(), ref);
    made.push(ref);
  }
  return { inst, refs };
}
const uninstall = (inst: Installed, extra: string[] = []) => cli(inst, ['uninstall', '--yes', ...extra], { PATH: process.env.PATH });

afterAll(async () => {
  for (const ref of made) await docker.removeImage(ref).catch(() => undefined);
  for (const inst of installs) await inst.close();
});

describe('uninstall and the local docker tags of the worker image', () => {
  it('lists them with their size and the command that removes them, and keeps them', async () => {
    const { inst, refs } = await installWithLocalTags('keep');
    const run = await uninstall(inst);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`Kept 2 local docker tag\\(s\\) of the worker image on this machine: .*${refs[0]!.replace(/[.]/g, '\\.')} \\(\\d`));
    expect(run.stdout).toContain(`remove them: docker image rm ${refs.join(' ')}`);
    for (const ref of refs) expect(await docker.has(ref)).toBe(true);
    for (const ref of refs) await docker.removeImage(ref); // the next install has the same repository path
  }, 120_000);

  it('--remove-local-images removes them (and --json says which)', async () => {
    const { inst, refs } = await installWithLocalTags('remove');
    const run = await uninstall(inst, ['--remove-local-images', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json().result.localImages).toEqual({ found: refs, removed: refs });
    for (const ref of refs) expect(await docker.has(ref)).toBe(false);
  }, 120_000);
});
