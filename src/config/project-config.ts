/**
 * batch-snowflake.json: the non-secret answers of the last `init`, what it created (so `uninstall` drops
 * exactly that), and the deployed image tag. Written atomically; never holds a secret.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { usageError } from '../../shared/errors.js';
import { InitAnswersSchema, type InitAnswers } from './answers.js';
import { migrateV1Answers, ProjectAnswersSchema, splitAnswers, syncAnswers, SyncSchema, type SyncEntry } from './syncs.js';
import { assertNoSecrets } from './secret-guard.js';

export const CONFIG_FILE_NAME = 'batch-snowflake.json';
export const CONFIG_VERSION = 2 as const;

export const CREATED_OBJECT_TYPES = ['VIEW', 'TABLE', 'STREAM', 'TASK', 'SECRET', 'INTEGRATION', 'NETWORK RULE', 'COMPUTE POOL', 'IMAGE REPOSITORY', 'ALERT', 'SERVICE'] as const;

export const CreatedObjectSchema = z.object({
  type: z.enum(CREATED_OBJECT_TYPES),
  /** SQL name as rendered (e.g. DB.SCH."My Stream"). */
  name: z.string().min(1),
});

const ChangeTrackingSchema = z.array(z.object({ type: z.enum(['TABLE', 'VIEW']), name: z.string().min(1) }));

/** Version 1: one sync (`answers`). Still read (migrated by loadProjectConfig), never written. */
export const ProjectConfigV1Schema = z
  .object({
    version: z.literal(1),
    answers: InitAnswersSchema,
    created: z.array(CreatedObjectSchema).default([]),
    changeTrackingEnabled: ChangeTrackingSchema.optional(),
    deployedImageTag: z.string().optional(),
    /** The view's columns when init last applied (exact names); version 2 keeps them per sync. */
    syncedColumns: z.array(z.string()).optional(),
    updatedAt: z.string().optional(),
  })
  .strict();

export const ProjectConfigSchema = z
  .object({
    version: z.literal(CONFIG_VERSION),
    /** What every sync shares (src/config/syncs.ts). */
    project: ProjectAnswersSchema,
    /** The named syncs, each with its own stream, task and job runs. */
    syncs: z.array(SyncSchema).min(1),
    /** Objects batch-snowflake created (reused objects are not listed and are never dropped). */
    created: z.array(CreatedObjectSchema).default([]),
    /** Tables and views on which init turned change tracking on (uninstall offers to turn it off again). */
    changeTrackingEnabled: ChangeTrackingSchema.optional(),
    deployedImageTag: z.string().optional(),
    updatedAt: z.string().optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.syncs.forEach((sync, i) => {
      if (seen.has(sync.name)) ctx.addIssue({ code: 'custom', path: ['syncs', i, 'name'], message: `two syncs are named "${sync.name}"` });
      seen.add(sync.name);
    });
  });

export type ProjectConfig = z.output<typeof ProjectConfigSchema>;
export type CreatedObject = z.output<typeof CreatedObjectSchema>;

const fixHint = (path: string) =>
  `Fix ${path} by hand, or move it away and rerun \`batch-snowflake init\` to answer again (it only holds answers, no secrets), or choose another file with --config PATH.`;

/** Reads and validates the config; null when the file does not exist (first run). */
export async function loadProjectConfig(path: string): Promise<ProjectConfig | null> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw usageError('CONFIG_UNREADABLE', `Cannot read ${path}: ${(error as Error).message}`, { suggestion: fixHint(path), cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw usageError('CONFIG_INVALID_JSON', `${path} is not valid JSON: ${(error as Error).message}`, { suggestion: fixHint(path), cause: error });
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > CONFIG_VERSION) {
    throw usageError('CONFIG_TOO_NEW', `${path} was written by a newer batch-snowflake (config version ${version}; this one reads ${CONFIG_VERSION}).`, {
      suggestion: 'Upgrade: npx batch-snowflake@latest …',
    });
  }
  assertNoSecrets(raw, path);
  const parsed = version === 1 ? ProjectConfigV1Schema.transform(migrateV1).safeParse(raw) : ProjectConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw usageError('CONFIG_INVALID', `${path} is not a valid batch-snowflake config:\n${problems.join('\n')}`, {
      suggestion: fixHint(path),
      details: { path, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  }
  return parsed.data;
}

/** A version-1 config as version 2 (in memory only: the file changes on the next apply). */
export function migrateV1(v1: z.output<typeof ProjectConfigV1Schema>): ProjectConfig {
  const { answers, version: _version, syncedColumns, ...rest } = v1;
  return { version: CONFIG_VERSION, ...migrateV1Answers(answers, syncedColumns), ...rest };
}

/** The sync named `name`, or undefined. */
export function findSync(config: ProjectConfig, name: string): SyncEntry | undefined {
  return config.syncs.find((sync) => sync.name === name);
}

/** The planner's answers for one sync of the config (the project's shared answers + the sync's own). */
export function answersOf(config: ProjectConfig, name: string): InitAnswers | undefined {
  const sync = findSync(config, name);
  return sync ? syncAnswers(config.project, sync) : undefined;
}

/**
 * The config with sync `name` set to `answers` (added at the end when new). The shared half of `answers`
 * becomes the project's: every sync runs with the same pool, image, role and schema. `columns`: the view's
 * columns now (null: unknown, the sync's saved ones are kept).
 */
export function withSyncAnswers(
  config: Omit<ProjectConfig, 'project' | 'syncs'> & Partial<Pick<ProjectConfig, 'syncs'>>,
  name: string,
  answers: InitAnswers,
  columns: readonly string[] | null = null,
): ProjectConfig {
  const syncs = config.syncs ?? [];
  const { project, sync } = splitAnswers(answers, name, columns ?? syncs.find((s) => s.name === name)?.syncedColumns);
  const index = syncs.findIndex((s) => s.name === name);
  const next = index < 0 ? [...syncs, sync] : syncs.map((s, i) => (i === index ? sync : s));
  return { ...config, version: CONFIG_VERSION, project, syncs: next };
}

/** Whether two configs hold the same content, `updatedAt` aside (key order aside: both are read through the schema). */
export function sameConfig(a: ProjectConfig, b: ProjectConfig | null): boolean {
  if (!b) return false;
  const text = (c: ProjectConfig) => JSON.stringify({ ...ProjectConfigSchema.parse(c), updatedAt: null });
  return text(a) === text(b);
}

/** File operations used by the atomic write (replaceable in tests to simulate failures). */
export interface ConfigFileOps {
  open: typeof fs.open;
  rename: typeof fs.rename;
  rm: typeof fs.rm;
}
const defaultOps: ConfigFileOps = { open: fs.open, rename: fs.rename, rm: fs.rm };

export interface SaveOptions {
  /** Values that must not appear anywhere in the file (e.g. the REST API key the wizard holds). */
  forbiddenValues?: readonly string[];
  ops?: Partial<ConfigFileOps>;
}

/**
 * Validates, then writes to a temp file in the same directory, fsyncs it, renames it over `path` and fsyncs
 * the directory: readers see the old file or the new one, never a partial file. On any failure the temp file
 * is removed and the old file is untouched.
 */
export async function saveProjectConfig(path: string, config: z.input<typeof ProjectConfigSchema> | z.input<typeof ProjectConfigV1Schema>, options: SaveOptions = {}): Promise<void> {
  const ops = { ...defaultOps, ...options.ops };
  // A version-1 shape (tests, scripts) is written as version 2: the file only ever holds the current shape.
  const valid = config.version === 1 ? migrateV1(ProjectConfigV1Schema.parse(config)) : ProjectConfigSchema.parse(config);
  assertNoSecrets(valid, path, options.forbiddenValues ?? []);
  const text = `${JSON.stringify(valid, null, 2)}\n`;
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await ops.open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await ops.rename(temp, path);
  } catch (error) {
    await ops.rm(temp, { force: true }).catch(() => undefined);
    throw usageError('CONFIG_WRITE_FAILED', `Could not save ${path}: ${(error as Error).message}. The previous file (if any) is unchanged.`, {
      suggestion: `Check that ${dir} is writable and has free space, or choose another file with --config PATH.`,
      cause: error,
    });
  }
  // Make the rename durable; not all platforms allow fsync on a directory, and the file is already complete.
  const dirHandle = await fs.open(dir, 'r').catch(() => null);
  await dirHandle?.sync().catch(() => undefined);
  await dirHandle?.close();
}
