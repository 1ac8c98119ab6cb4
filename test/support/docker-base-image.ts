/**
 * The local Node base image (scripts/make-base-image.sh): no base image can be pulled on the test
 * and CI machines, so the worker image is built FROM this one (--build-arg BASE_IMAGE=…).
 * Free of vitest imports: used by the globalSetup in the main process.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../src/adapters/proc/exec.js';

export const BASE_IMAGE_TAG = 'batch-snowflake/node-base:local';
export const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Builds (or reuses, by tag and node version) the base image from this host's node. */
export async function ensureBaseImage(tag = BASE_IMAGE_TAG): Promise<{ durationMs: number; output: string }> {
  const script = path.join(PROJECT_DIR, 'scripts', 'make-base-image.sh');
  const result = await runCommand('bash', [script, tag], { timeoutMs: 300_000 });
  if (result.failed) throw new Error(`${result.command} failed:\n${result.output}`);
  return { durationMs: result.durationMs, output: result.stdout };
}
