/**
 * Parses the worker's arguments and environment into WorkerOptions. Drop-in for Batch's job: the seed's
 * task passes --project-key, --source-stream, --id-column, --date-columns, --url-columns,
 * --api-credentials-table and env SNOWFLAKE_ROLE (shared/seed/batch-snowflake-guide.txt, step 4).
 * Every error is a UserError naming the argument and the fix; no secret ever appears in one.
 */
import { DEFAULT_SYNC_NAME, syncNameProblem } from '../shared/state/sync-names.js';
import { parseArgs } from 'node:util';
import { usageError } from '../shared/errors.js';
import type { PayloadMapping } from '../shared/payload/types.js';
import { parseQualifiedName, renderQualifiedName } from '../shared/sql/identifiers.js';
import { MAX_RESTRICTED, type QualifiedName, type Restriction, type WorkerOptions } from './options-types.js';
import { OPTION_SPEC, WORKER_USAGE } from './options-text.js';
import { redact, Secret } from './secret.js';
import { connectionPlan, type AuthContext } from './snowflake-auth.js';
import { parseEventOptions } from './options-events.js';

export type { WorkerOptions } from './options-types.js';
export { WORKER_USAGE, describeOptions, safeConnectionOptions } from './options-text.js';
export { Secret, redact } from './secret.js';

export const DEFAULT_BATCH_API_URL = 'https://api.batch.com';
/** /profiles/update: 300 updates/s, bursts up to 1000; /profiles/mass-update: 10 000/s (batch-api.md §2.2). */
export const DEFAULTS = { rate: 300, burst: 1000, massUpdateRate: 10_000, massUpdateThreshold: 10_000, concurrency: 4 } as const;

export interface ParseContext extends Partial<AuthContext> {
  env?: NodeJS.ProcessEnv;
}

interface NumberRule {
  integer?: boolean;
  positive?: boolean;
  min?: number;
  max: number;
}

/**
 * A numeric option (undefined when absent). Hand-written rather than zod: importing zod costs ~100 ms of CPU at
 * every worker start (issue 21), for five numbers.
 */
function numberOption(flag: string, raw: string | undefined, rule: NumberRule): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const problem = !Number.isFinite(value)
    ? 'must be a number'
    : rule.integer && !Number.isInteger(value)
      ? 'must be a whole number'
      : rule.positive && !(value > 0)
        ? 'must be greater than 0'
        : rule.min !== undefined && value < rule.min
          ? `must be at least ${rule.min}`
          : value > rule.max
            ? `must be at most ${rule.max}`
            : null;
  if (problem) throw usageError('INVALID_ARGUMENT', `${flag} ${problem} (got "${raw}").`, { suggestion: 'Run with --help for the accepted ranges.' });
  return value;
}

function choice<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usageError('INVALID_ARGUMENT', `${flag} is "${value}"; expected one of: ${allowed.join(', ')}.`, { suggestion: `Pass ${flag} ${allowed[0]}` });
}

function required(flag: string, value: string | undefined, example: string): string {
  if (value === undefined || value.trim() === '') {
    throw usageError('MISSING_ARGUMENT', `Missing ${flag}.`, { suggestion: `Pass ${flag} ${example} (run with --help for all arguments).` });
  }
  return value.trim();
}

/** --loop-interval-seconds: a whole number of seconds, 1-3600; not with --dry-run, --limit or --only-ids (one-off runs). */
function loopInterval(value: string | undefined, oneOff: boolean): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 3600) {
    throw usageError('INVALID_ARGUMENT', `--loop-interval-seconds is "${value}"; expected a whole number of seconds from 1 to 3600.`, { suggestion: 'Pass --loop-interval-seconds 2' });
  }
  if (oneOff) throw usageError('INVALID_ARGUMENT', '--loop-interval-seconds keeps the worker running; it cannot be combined with --dry-run, --limit or --only-ids.', { suggestion: 'Drop --loop-interval-seconds for a one-off run.' });
  return n;
}

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/** Parses argv (without node and script) and env. Throws UserError (kind usage/connection) with the fix. */
export function parseWorkerOptions(argv: readonly string[], context: ParseContext = {}): WorkerOptions {
  const env = context.env ?? process.env;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTION_SPEC, strict: true, allowPositionals: false }));
  } catch (error) {
    // A stray value would be echoed by parseArgs ("Unexpected argument 'xyz'"); it may be a secret, so it is not shown.
    const message =
      (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
        ? 'Unexpected argument: every value must follow its --option (write --date-columns "" for an empty list).'
        : redact((error as Error).message, [env.BATCH_REST_API_KEY, env.SNOWFLAKE_PASSWORD]);
    throw usageError('INVALID_ARGUMENTS', message, { suggestion: `Usage:\n${WORKER_USAGE}` });
  }
  const text = (name: string) => values[name] as string | undefined;
  const projectKey = required('--project-key', text('project-key'), 'project_0123abcd…');
  if (/\s/.test(projectKey)) throw usageError('INVALID_ARGUMENT', '--project-key contains spaces.', { suggestion: 'Copy the project key from Batch: Settings → General.' });
  const sourceStream = qualifiedName(required('--source-stream', text('source-stream'), 'MY_DB.MY_SCHEMA.MY_STREAM'), '--source-stream', [1, 2, 3]);
  const idColumn = required('--id-column', text('id-column'), 'CUSTOMER_ID');
  const dateColumns = splitColumnList(text('date-columns'));
  const urlColumns = splitColumnList(text('url-columns'));
  const dryRun = values['dry-run'] === true;
  const { kind, events } = parseEventOptions(values, splitColumnList);

  const tableArg = text('api-credentials-table');
  const envKey = env.BATCH_REST_API_KEY;
  let restApiKey: WorkerOptions['restApiKey'];
  if (tableArg !== undefined && tableArg.trim() !== '') {
    restApiKey = { kind: 'table', table: qualifiedName(tableArg, '--api-credentials-table', [1, 2, 3]) };
  } else if (envKey !== undefined && envKey.trim() !== '') {
    restApiKey = { kind: 'env', key: new Secret(envKey.trim()) };
  } else if (dryRun) {
    restApiKey = { kind: 'none' };
  } else {
    throw usageError('REST_API_KEY_MISSING', 'No Batch REST API key: neither --api-credentials-table nor env BATCH_REST_API_KEY is set.', {
      suggestion: 'Set BATCH_REST_API_KEY (an SPCS secret in the service specification) or pass --api-credentials-table DB.SCHEMA.BATCH_API_CREDENTIALS (columns PROJECT_KEY, REST_API_KEY).',
    });
  }

  const numbers = {
    concurrency: numberOption('--concurrency', text('concurrency'), { integer: true, min: 1, max: 64 }) ?? DEFAULTS.concurrency,
    rate: numberOption('--rate', text('rate'), { positive: true, max: 1_000_000 }),
    burst: numberOption('--burst', text('burst'), { integer: true, min: 1, max: 1_000_000 }),
    massUpdateRate: numberOption('--mass-update-rate', text('mass-update-rate'), { positive: true, max: Number.MAX_VALUE }) ?? DEFAULTS.massUpdateRate,
    massUpdateThreshold: numberOption('--mass-update-threshold', text('mass-update-threshold'), { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }) ?? DEFAULTS.massUpdateThreshold,
  };
  const rate = numbers.rate ?? DEFAULTS.rate;
  // Without --burst: the documented 1000 at the documented rate, else one second's worth of the chosen rate.
  const burst = numbers.burst ?? (numbers.rate === undefined ? DEFAULTS.burst : Math.max(1, Math.ceil(rate)));

  const stateSchemaArg = text('state-schema');
  const stateSchema =
    stateSchemaArg !== undefined && stateSchemaArg.trim() !== ''
      ? qualifiedName(stateSchemaArg, '--state-schema', [1, 2])
      : sourceStream.parts.length > 1
        ? fromParts(sourceStream.parts.slice(0, -1))
        : null;

  const syncName = text('sync-name')?.trim() || DEFAULT_SYNC_NAME;
  const syncProblem = syncNameProblem(syncName);
  if (syncProblem) throw usageError('INVALID_ARGUMENT', `--sync-name "${syncName}": ${syncProblem}.`, { suggestion: 'Pass the sync name batch-snowflake init chose (see the task definition).' });

  return {
    syncName,
    projectKey,
    kind,
    events,
    sourceStream,
    idColumn,
    dateColumns,
    urlColumns,
    restApiKey,
    nullPolicy: choice('--null-policy', text('null-policy'), ['skip', 'delete'] as const, 'skip'),
    deletePolicy: choice('--delete-policy', text('delete-policy'), ['ignore', 'unset'] as const, 'ignore'),
    endpoint: choice('--endpoint', text('endpoint'), ['auto', 'update', 'mass-update'] as const, 'auto'),
    massUpdateThreshold: numbers.massUpdateThreshold,
    concurrency: numbers.concurrency,
    rate,
    burst,
    massUpdateRate: numbers.massUpdateRate,
    dryRun,
    restriction: parseRestriction(text('limit'), text('only-ids'), dryRun),
    pendingMarker: values['pending-marker'] === true,
    loopIntervalSeconds: loopInterval(text('loop-interval-seconds'), dryRun || parseRestriction(text('limit'), text('only-ids'), dryRun) !== null),
    stateSchema,
    batchApiUrl: batchApiUrl(env.BATCH_API_URL),
    snowflake: connectionPlan(text('connection')?.trim() || undefined, { env, ...(context.home ? { home: context.home } : {}) }),
  };
}

/** --limit N / --only-ids A,B (never both, not with --dry-run). */
export function parseRestriction(limit: string | undefined, ids: string | undefined, dryRun: boolean): Restriction | null {
  if (limit === undefined && ids === undefined) return null;
  if (limit !== undefined && ids !== undefined) throw usageError('INVALID_ARGUMENT', '--limit and --only-ids cannot be combined.', { suggestion: 'Pass one of them.' });
  if (dryRun) throw usageError('INVALID_ARGUMENT', '--limit / --only-ids send now; --dry-run sends nothing.', { suggestion: 'Drop --dry-run, or the restriction.' });
  if (limit !== undefined) {
    const n = Number(limit.trim());
    if (limit.trim() === '' || !Number.isInteger(n) || n < 1 || n > MAX_RESTRICTED) {
      throw usageError('INVALID_ARGUMENT', `--limit must be a whole number from 1 to ${MAX_RESTRICTED} (got "${limit}").`, { suggestion: 'Pass e.g. --limit 10.' });
    }
    return { kind: 'limit', limit: n };
  }
  const list = [...new Set((ids ?? '').split(',').map((id) => id.trim()).filter((id) => id !== ''))];
  if (list.length === 0 || list.length > MAX_RESTRICTED) {
    throw usageError('INVALID_ARGUMENT', `--only-ids needs 1 to ${MAX_RESTRICTED} comma-separated IDs (got ${list.length}).`, { suggestion: 'Pass e.g. --only-ids 42,43.' });
  }
  return { kind: 'ids', ids: list };
}

/** The transform's mapping for these options (worker and dry run use the same). */
export function toPayloadMapping(options: WorkerOptions): PayloadMapping {
  return { idColumn: options.idColumn, dateColumns: options.dateColumns, urlColumns: options.urlColumns, nullPolicy: options.nullPolicy };
}

export function fromParts(parts: readonly string[]): QualifiedName {
  return { parts: [...parts], sql: renderQualifiedName(parts), name: parts[parts.length - 1] ?? '' };
}

/** A Snowflake object name; it ends up interpolated in SQL, so it is parsed and re-rendered, never pasted. */
export function qualifiedName(input: string, flag: string, expectedParts: readonly number[]): QualifiedName {
  return fromParts(parseQualifiedName(input, `${flag} value`, expectedParts));
}

/**
 * "A, b ,C" → ['A', 'b', 'C']; empty or missing → []. Batch's job strips and compares case-insensitively; a
 * name written in double quotes ("Birth Date") is unquoted so that it matches the column as Snowflake names it.
 */
export function splitColumnList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => (item.length >= 2 && item.startsWith('"') && item.endsWith('"') ? item.slice(1, -1).replaceAll('""', '"') : item));
}

/** BATCH_API_URL (default https://api.batch.com), without a trailing slash; the sandbox is http://127.0.0.1:PORT. */
export function batchApiUrl(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return DEFAULT_BATCH_API_URL;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    url = new URL('invalid:');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.host === '' || url.search !== '' || url.hash !== '') {
    throw usageError('BATCH_API_URL_INVALID', `BATCH_API_URL is not an http(s) base URL: ${JSON.stringify(value)}.`, {
      suggestion: 'Set BATCH_API_URL to https://api.batch.com (the default, or unset it) or to the sandbox, e.g. http://127.0.0.1:8080.',
    });
  }
  if (url.username !== '' || url.password !== '') {
    throw usageError('BATCH_API_URL_INVALID', 'BATCH_API_URL must not contain credentials.', { suggestion: 'Put the REST API key in BATCH_REST_API_KEY instead.' });
  }
  return url.toString().replace(/\/+$/, '');
}
