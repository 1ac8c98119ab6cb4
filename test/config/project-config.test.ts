import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProjectConfig, migrateV1, saveProjectConfig, type ProjectConfig } from '../../src/config/project-config.js';

import { BASE_ANSWERS } from '../plan/fixtures.js';
import { isUserError } from '../../shared/errors.js';
import { parseInitAnswers } from '../../src/plan/names.js';

let dir: string;
let path: string;
/** A version-1 file (one sync), as written before several syncs per project. */
const CONFIG = {
  version: 1 as const,
  answers: parseInitAnswers(BASE_ANSWERS),
  created: [{ type: 'STREAM' as const, name: 'ANALYTICS.BATCH_SYNC.BATCH_SYNC_STREAM' }],
  deployedImageTag: '0.1.0',
};
/** The same config in version 2 (what is written now). */
const CONFIG2: ProjectConfig = migrateV1(CONFIG);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bsf-config-'));
  path = join(dir, 'batch-snowflake.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function expectUserError(promise: Promise<unknown>, code: string, message: RegExp) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(isUserError(error)).toBe(true);
  expect(error).toMatchObject({ kind: 'usage', code });
  expect((error as Error).message).toMatch(message);
  return error as Error & { suggestion?: string };
}

describe('project config', () => {
  it('saves and loads the same config; a missing file is a first run', async () => {
    expect(await loadProjectConfig(path)).toBeNull();
    await saveProjectConfig(path, CONFIG2);
    expect(await loadProjectConfig(path)).toEqual(CONFIG2);
    expect(await readdir(dir)).toEqual(['batch-snowflake.json']);
  });

  it('explains invalid JSON with the path and how to fix it', async () => {
    await writeFile(path, '{ "version": 1, ');
    const error = await expectUserError(loadProjectConfig(path), 'CONFIG_INVALID_JSON', new RegExp(`^${path.replaceAll('/', '\\/')} is not valid JSON`));
    expect(error.suggestion).toMatch(/--config PATH/);
  });

  it('lists every schema problem with its location', async () => {
    const bad = { ...CONFIG, answers: { ...CONFIG.answers, target: 'NO_SCHEMA', credentials: 'vault' }, extra: 1 };
    await writeFile(path, JSON.stringify(bad));
    await expectUserError(loadProjectConfig(path), 'CONFIG_INVALID', /answers\.target: Invalid target schema[\s\S]*answers\.credentials:[\s\S]*extra/);
  });

  it('refuses a config written by a newer version', async () => {
    await writeFile(path, JSON.stringify({ ...CONFIG2, version: 3 }));
    await expectUserError(loadProjectConfig(path), 'CONFIG_TOO_NEW', /config version 3/);
  });

  it('refuses secrets in the file, on load and on save', async () => {
    await writeFile(path, JSON.stringify({ ...CONFIG, answers: { ...CONFIG.answers, restApiKey: 'k' } }));
    await expectUserError(loadProjectConfig(path), 'CONFIG_SECRET_REFUSED', /key "answers\.restApiKey" looks like a secret/);
    await writeFile(path, JSON.stringify({ ...CONFIG, snowflake: { private_key: 'x' } }));
    await expectUserError(loadProjectConfig(path), 'CONFIG_SECRET_REFUSED', /snowflake\.private_key/);
    await rm(path);
    const leaky = { ...CONFIG2, syncs: [{ ...CONFIG2.syncs[0]!, projectKey: 'SECRET-REST-KEY-123' }] };
    await expectUserError(saveProjectConfig(path, leaky, { forbiddenValues: ['SECRET-REST-KEY-123'] }), 'CONFIG_SECRET_REFUSED', /syncs\[0\]\.projectKey holds a secret value/);
    const pem = { ...CONFIG2, syncs: [{ ...CONFIG2.syncs[0]!, projectKey: '-----BEGIN PRIVATE KEY-----abc' }] };
    await expectUserError(saveProjectConfig(path, pem), 'CONFIG_SECRET_REFUSED', /holds a private key/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('does not write an invalid config', async () => {
    const invalid = { ...CONFIG2, syncs: [{ ...CONFIG2.syncs[0]!, schedule: 'sometimes' }] } as ProjectConfig;
    await expect(saveProjectConfig(path, invalid)).rejects.toThrow(/schedule/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('atomic save', () => {
  const failures = {
    'write (disk full half-way)': {
      open: (async (...args: Parameters<typeof fs.open>) => {
        const handle = await fs.open(...args);
        return Object.assign(handle, {
          writeFile: async (text: string) => {
            await fs.appendFile(args[0] as string, text.slice(0, 20));
            throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          },
        });
      }) as typeof fs.open,
    },
    fsync: {
      open: (async (...args: Parameters<typeof fs.open>) => {
        const handle = await fs.open(...args);
        return Object.assign(handle, { sync: async () => { throw new Error('EIO: i/o error, fsync'); } });
      }) as typeof fs.open,
    },
    rename: { rename: (async () => { throw new Error('EXDEV: cross-device link not permitted'); }) as typeof fs.rename },
  };

  for (const [step, ops] of Object.entries(failures)) {
    it(`a failing ${step} leaves the previous file intact and no temp file`, async () => {
      await saveProjectConfig(path, CONFIG2);
      const before = await readFile(path, 'utf8');
      const changed = { ...CONFIG2, deployedImageTag: '9.9.9' };
      const error = await expectUserError(saveProjectConfig(path, changed, { ops }), 'CONFIG_WRITE_FAILED', /The previous file \(if any\) is unchanged/);
      expect(error.suggestion).toMatch(/writable/);
      expect(await readFile(path, 'utf8')).toBe(before);
      expect(await readdir(dir)).toEqual(['batch-snowflake.json']);
    });
  }

  it('a failure on first save leaves no file at all', async () => {
    await expect(saveProjectConfig(path, CONFIG2, { ops: failures.rename })).rejects.toThrow(/Could not save/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('replaces the file in one step (concurrent readers see old or new, never partial)', async () => {
    await saveProjectConfig(path, CONFIG2);
    const seen = new Set<string>();
    let done = false;
    const reader = (async () => {
      while (!done) seen.add(await readFile(path, 'utf8'));
    })();
    for (let i = 0; i < 20; i += 1) await saveProjectConfig(path, { ...CONFIG2, deployedImageTag: `tag-${i}` });
    done = true;
    await reader;
    for (const text of seen) expect(() => JSON.parse(text)).not.toThrow();
  });
});
