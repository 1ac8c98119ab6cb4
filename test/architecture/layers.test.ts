/**
 * The layer rules of .dependency-cruiser.cjs (run on the real tree by `npm run lint:deps`, part of
 * `npm test`) must actually fire: they are run here on a small tree that breaks each of them once.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DEPCRUISE = path.join(REPO, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = path.join(REPO, '.dependency-cruiser.cjs');

const TREE: Record<string, string> = {
  // plan ↔ apply: a cycle, and plan (lower) importing apply (higher)
  'src/plan/planner.ts': "import { apply } from '../apply/executor.js';\nexport const plan = () => apply;\n",
  'src/apply/executor.ts': "import { plan } from '../plan/planner.js';\nexport const apply = () => plan;\n",
  // anything → commands
  'src/wizard/step.ts': "import { run } from '../commands/init.js';\nexport const step = run;\n",
  'src/commands/init.ts': 'export const run = 1;\n',
  // shared (used by the worker) importing the CLI; the worker importing the CLI
  'shared/payload/transform.ts': "import { plan } from '../../src/plan/planner.js';\nexport const t = plan;\n",
  'worker/main.ts': "import { step } from '../src/wizard/step.js';\nexport const w = step;\n",
  // the product importing a stand-in
  'src/adapters/docker/docker.ts': "import { s } from '../../../standins/snowflake/server.js';\nexport const d = s;\n",
  'standins/snowflake/server.ts': 'export const s = 1;\n',
  // allowed: a higher layer importing a lower one
  'src/cli/main.ts': "import { run } from '../commands/init.js';\nexport const m = run;\n",
};

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bs-layers-'));
  for (const [file, text] of Object.entries(TREE)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function cruise(): Promise<{ violations: Array<{ rule: string; from: string; to: string }> }> {
  const run = promisify(execFile);
  const args = [DEPCRUISE, 'src', 'shared', 'worker', 'standins', '--config', CONFIG, '--output-type', 'json'];
  // depcruise exits non-zero when it finds violations; the JSON report is on stdout either way.
  const { stdout } = await run(process.execPath, args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 }).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
  const report = JSON.parse(stdout) as { summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> } };
  return { violations: report.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to })) };
}

describe('dependency rules', () => {
  it('report each broken rule, and nothing for an allowed import', async () => {
    const { violations } = await cruise();
    const found = (rule: string, from: string) => violations.some((v) => v.rule === rule && v.from === from);
    expect(found('no-circular', 'src/plan/planner.ts') || found('no-circular', 'src/apply/executor.ts')).toBe(true);
    expect(found('layer-plan', 'src/plan/planner.ts')).toBe(true);
    expect(found('layer-wizard', 'src/wizard/step.ts')).toBe(true);
    expect(found('shared-imports-neither', 'shared/payload/transform.ts')).toBe(true);
    expect(found('worker-only-on-shared', 'worker/main.ts')).toBe(true);
    expect(found('product-not-on-standins-or-tests', 'src/adapters/docker/docker.ts')).toBe(true);
    expect(violations.filter((v) => v.from === 'src/cli/main.ts')).toEqual([]);
  });
});
