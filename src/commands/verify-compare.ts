/**
 * `verify`'s reading and comparing, for one sync (src/commands/verify.ts) and every profile sync
 * (src/commands/verify-all.ts): N random IDs of the view through the worker's payload transform, what Batch
 * holds through its export API, every mismatch by attribute.
 */
import type { CommandContext } from '../runtime/context.js';
import type { VerifyOptions } from './options.js';
import { UserError, usageError } from '../../shared/errors.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { createTransform } from '../../shared/payload/index.js';
import { renderIdentifier, renderQualifiedName } from '../../shared/sql/identifiers.js';
import { exportProfiles } from '../adapters/batch/export-client.js';
import { DEFAULT_BATCH_API_HOST } from '../config/answers.js';
import type { Installed } from '../operate/installed.js';
import { batchApiUrl } from '../plan/task-steps.js';

export const VERIFY_MISMATCH_EXIT_CODE = 14;
const MAX_SAMPLE = 1000;

export interface Mismatch { customId: string; attribute: string | null; snowflake: unknown; batch: unknown }

export function parseSample(text: string): number {
  const n = /^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_SAMPLE) {
    throw usageError('INVALID_SAMPLE', `--sample must be a number of profiles from 1 to ${MAX_SAMPLE} (got ${JSON.stringify(text)}): ${n === 0 ? 'a sample of 0 compares nothing' : 'not a usable count'}.`, { suggestion: 'Pass e.g. --sample 10.' });
  }
  return n;
}

/** `date(x)` / `url(x)` → `x`: the export names attributes bare. */
const bare = (key: string) => /^(?:date|url)\((.*)\)$/.exec(key)?.[1] ?? key;

function same(expected: unknown, actual: unknown, isDate: boolean): boolean {
  if (isDate && typeof expected === 'string' && typeof actual === 'string') return Date.parse(expected) === Date.parse(actual);
  return JSON.stringify(expected) === JSON.stringify(actual);
}

export function compare(expected: Map<string, Record<string, unknown>>, held: Map<string, Record<string, unknown>>): Mismatch[] {
  const out: Mismatch[] = [];
  for (const [customId, attributes] of expected) {
    const batch = held.get(customId);
    if (!batch) {
      out.push({ customId, attribute: null, snowflake: 'profile', batch: null });
      continue;
    }
    for (const [key, value] of Object.entries(attributes)) {
      const name = bare(key);
      const actual = batch[name] ?? null;
      if (!same(value, actual, key.startsWith('date('))) out.push({ customId, attribute: name, snowflake: value, batch: actual });
    }
  }
  return out;
}

/** What Batch should hold for N random IDs of the sync's view (the worker's own transform). */
export async function expectedOf(session: SnowflakeSession, installed: Installed, sample: number): Promise<Map<string, Record<string, unknown>>> {
  const { answers } = installed;
  const id = renderIdentifier(answers.idColumn);
  const result = await session.query(`SELECT * FROM ${renderQualifiedName(installed.names.view)} WHERE ${id} IS NOT NULL ORDER BY RANDOM() LIMIT ${sample}`);
  const transform = createTransform(result.columns, { idColumn: answers.idColumn, dateColumns: answers.dateColumns, urlColumns: answers.urlColumns, nullPolicy: answers.worker.nullPolicy });
  const map = new Map<string, Record<string, unknown>>();
  for (const row of result.rows) {
    const op = transform.toOperation(row).operation;
    if (op) map.set(op.identifiers.custom_id, op.attributes ?? {});
  }
  return map;
}

export interface Verified { result: { sampled: number; attributes: string[]; mismatches: Mismatch[] }; text: string; exitCode: number }

/** Reads the sampled profiles' attributes from Batch (export API) and compares. */
export async function compareWithBatch(installed: Installed, expected: Map<string, Record<string, unknown>>, key: string, options: Pick<VerifyOptions, 'timeout'>, context: CommandContext): Promise<Verified> {
  const { answers } = installed;
  const view = renderQualifiedName(installed.names.view);
  const attributes = [...new Set([...expected.values()].flatMap((a) => Object.keys(a).map(bare)))];
  const host = answers.batchApiHost;
  const apiUrl = host === DEFAULT_BATCH_API_HOST ? 'https://api.batch.com' : batchApiUrl(host);
  const pollMs = Number(context.env.BATCH_EXPORT_POLL_INTERVAL_MS) > 0 ? Number(context.env.BATCH_EXPORT_POLL_INTERVAL_MS) : 5000;
  const held = await context.output.step(
    `Exporting ${attributes.length} attribute(s) from Batch (asynchronous: request, poll, download)`,
    () => exportProfiles({ apiUrl, restKey: key, projectKey: answers.projectKey, attributes, timeoutMs: options.timeout * 1000, pollIntervalMs: pollMs, signal: context.signal }),
    (m) => `Batch export read (${m.size} profile(s))`,
  );
  const mismatches = compare(expected, held);
  const show = (v: unknown) => (v === null ? '(absent)' : JSON.stringify(v));
  const lines = mismatches.map((m) => (m.attribute === null ? `  ✗ ${m.customId}: no such profile in Batch` : `  ✗ ${m.customId}.${m.attribute}: Snowflake ${show(m.snowflake)} ≠ Batch ${show(m.batch)}`));
  const result = { sampled: expected.size, attributes, mismatches };
  if (mismatches.length === 0) return { result, text: `Equal: ${expected.size} profile(s) of ${view} match what Batch holds (${attributes.length} attribute(s) each).`, exitCode: 0 };
  return {
    result,
    text: [`${mismatches.length} mismatch(es) in ${expected.size} sampled profile(s) of ${view}:`, ...lines, '  next: batch-snowflake status   (pending changes or rejected values explain most differences; a change not yet synced shows here until the next run)'].join('\n'),
    exitCode: VERIFY_MISMATCH_EXIT_CODE,
  };
}

export function keyMissing(): UserError {
  return usageError('REST_API_KEY_MISSING', 'verify reads from Batch with the REST API key, and BATCH_REST_API_KEY is not set.', { suggestion: 'Set BATCH_REST_API_KEY for this command, or pipe it with --rest-api-key-stdin.' });
}

