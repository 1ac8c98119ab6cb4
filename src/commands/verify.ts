/**
 * `batch-snowflake verify --sample N` (issue 17 item 4): picks N IDs of the view, builds what Batch should
 * hold with the worker's own payload transform (shared/payload), reads what Batch holds through its profile
 * export API (src/adapters/batch/export-client.ts) and prints every mismatch by attribute.
 * Exit 0 when equal, 14 on a mismatch (for CI after a change to the view). Without --sync on a project of
 * several syncs: every profile sync (src/commands/verify-all.ts).
 */

import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import type { VerifyOptions } from './options.js';
import { allSyncsOrNull } from '../operate/each-sync.js';
import { eventSyncUnsupported, loadInstalled, runEventSync, withInstalledSession } from '../operate/installed.js';
import { compareWithBatch, expectedOf, keyMissing, parseSample } from './verify-compare.js';
import { restKey } from './worker-env.js';

export { compare, VERIFY_MISMATCH_EXIT_CODE, type Mismatch } from './verify-compare.js';

export async function run(options: VerifyOptions, context: CommandContext): Promise<CommandOutcome> {
  const sample = parseSample(options.sample);
  const all = await allSyncsOrNull(context, options.sync);
  if (all) return (await import('./verify-all.js')).verifyAll(all.syncs, sample, options, context);
  const installed = await loadInstalled(context, options.sync);
  if (installed.answers.kind === 'event') {
    throw eventSyncUnsupported(installed.sync, 'verify compares profile attributes with what Batch holds', 'nothing was read or compared', `verify does not apply to an event sync; send its pending events with \`${runEventSync(installed.sync)}\` and check them with \`batch-snowflake status --sync ${installed.sync}\`.`);
  }
  const key = await restKey(installed, context, { restApiKeyStdin: options.restApiKeyStdin });
  if (key === undefined) throw keyMissing();
  const expected = await withInstalledSession(context, installed, ({ session }) => expectedOf(session, installed, sample));
  const { result, text, exitCode } = await compareWithBatch(installed, expected, key, options, context);
  return exitCode === 0 ? { result, text } : { result, text, exitCode };
}
