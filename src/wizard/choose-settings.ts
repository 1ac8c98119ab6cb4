/**
 * The remaining choices, each with its flag and remembered default: Batch project key, where the REST API
 * key is stored, compute pool, image repository, schedule, initial backfill, image tag, and the role and
 * warehouse the task runs with (the connection's by default).
 */
import { DEFAULT_OBJECT_NAMES, SCHEDULE_PATTERN, type InitAnswers } from '../config/answers.js';
import { canonicalName, parseQualifiedName } from '../../shared/sql/identifiers.js';
import { choose, type Wizard } from './context.js';
import { renderScheduleModes } from '../plan/schedule-modes.js';

export type SettingAnswers = Partial<Pick<InitAnswers,
  'runner' | 'projectKey' | 'credentials' | 'computePool' | 'imageRepository' | 'schedule' | 'initialSync' | 'imageTag' | 'role' | 'warehouse' | 'skipImage'>>;

export interface SettingInputs {
  given: SettingAnswers;
  remembered: SettingAnswers;
  /** From the session (CURRENT_ROLE(), CURRENT_WAREHOUSE()); null when offline. */
  session: { role: string | null; warehouse: string | null };
  /** Default image tag when building: the package version. */
  packageVersion: string;
}

const nameCheck = (what: string, parts: 1 | 2 | 3 | readonly number[]) => (value: string): true | string => {
  try {
    parseQualifiedName(value, what, parts);
    return true;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

export async function chooseSettings(w: Wizard, inputs: SettingInputs): Promise<SettingAnswers> {
  const { given, remembered } = inputs;
  const p = () => w.prompter!;
  const out: SettingAnswers = {};
  const role = await choose<string>(w, { flag: '--role ROLE', what: 'role that owns and runs the task', given: given.role, remembered: remembered.role, suggested: inputs.session.role ?? undefined });
  if (role !== undefined) out.role = canonicalName(role, 'role', 1);
  const warehouse = await choose<string>(w, {
    flag: '--warehouse NAME', what: 'warehouse of the task', given: given.warehouse, remembered: remembered.warehouse, suggested: inputs.session.warehouse ?? undefined,
    ...(inputs.session.warehouse ? {} : { prompt: async (current) => p().input({ message: 'Warehouse for the task and the sync job:', ...(current ? { default: current } : {}), validate: nameCheck('warehouse', 1) }) }),
  });
  if (warehouse !== undefined) out.warehouse = canonicalName(warehouse, 'warehouse', 1);
  const projectKey = await choose<string>(w, {
    flag: '--project-key KEY', what: 'Batch project key', given: given.projectKey, remembered: remembered.projectKey,
    prompt: (current) => p().input({ message: 'Batch project key (Settings → General in the Batch dashboard):', ...(current ? { default: current } : {}), validate: (v) => (v.trim() ? true : 'the project key is needed') }),
  });
  if (projectKey !== undefined) out.projectKey = projectKey.trim();
  out.runner = given.runner ?? remembered.runner ?? 'spcs';
  if (out.runner === 'external') return chooseExternalSettings(w, inputs, out);
  out.credentials = await choose<'secret' | 'table' | 'none'>(w, {
    flag: '--credentials secret|table', what: 'where the REST API key is stored', given: given.credentials, remembered: remembered.credentials, suggested: 'secret',
    prompt: (current) => p().select({ message: 'Where should the Batch REST API key be stored in Snowflake?', default: current ?? 'secret', choices: [
      { value: 'secret' as const, name: 'A Snowflake SECRET (recommended)', description: 'readable only by the job; never in a table' },
      { value: 'table' as const, name: 'A credentials table (like Batch\'s own job)', description: 'PROJECT_KEY and REST_API_KEY columns' },
    ] }),
  });
  const pool = await choose<string>(w, {
    flag: '--compute-pool NAME', what: 'compute pool (reused, or created CPU_X64_XS)', given: given.computePool, remembered: remembered.computePool, suggested: DEFAULT_OBJECT_NAMES.computePool,
    prompt: async (current) => p().input({ message: 'Compute pool to run the job (reused if it exists, else created as CPU_X64_XS, 1 node, 5 min auto-suspend):', default: current ?? DEFAULT_OBJECT_NAMES.computePool, validate: nameCheck('compute pool', 1) }),
  });
  if (pool !== undefined) out.computePool = canonicalName(pool, 'compute pool', 1);
  const repository = await choose<string>(w, {
    flag: '--image-repository NAME', what: 'image repository', given: given.imageRepository, remembered: remembered.imageRepository, suggested: DEFAULT_OBJECT_NAMES.imageRepository,
    prompt: async (current) => p().input({ message: 'Image repository for the worker image (NAME in the target schema, or DB.SCHEMA.NAME):', default: current ?? DEFAULT_OBJECT_NAMES.imageRepository, validate: nameCheck('image repository', [1, 3]) }),
  });
  if (repository !== undefined) out.imageRepository = canonicalName(repository, 'image repository', [1, 3]);
  out.schedule = await choose<string>(w, {
    flag: '--schedule "60 MINUTE" | triggered | continuous', what: 'schedule', given: given.schedule, remembered: remembered.schedule, suggested: '60 MINUTE',
    prompt: (current) => {
      // The modes side by side before the pick (src/plan/schedule-modes.ts).
      w.output.info(`Schedule modes:\n${renderScheduleModes('CPU_X64_XS')}`);
      return p().input({ message: 'How often should the sync run? ("60 MINUTE", "USING CRON 0 * * * * UTC", "triggered" or "continuous"; empty runs are skipped)', default: current ?? '60 MINUTE', validate: (v) => (SCHEDULE_PATTERN.test(v.trim()) ? true : 'a schedule such as "60 MINUTE", "USING CRON 0 * * * * UTC", "triggered" or "continuous"') });
    },
  });
  out.initialSync = await choose<boolean>(w, {
    flag: '--initial-sync / --no-initial-sync', what: 'send the existing rows on the first run', given: given.initialSync, remembered: remembered.initialSync, suggested: true,
    show: (v) => (v ? 'yes' : 'no'),
    prompt: (current) => p().confirm({ message: 'Send every existing row on the first run (initial backfill)?', default: current ?? true }),
  });
  out.skipImage = given.skipImage ?? false;
  // Building: the tag of this package's build context (`<version>-<content hash>`: found in the repository, it
  // needs no build and no docker) unless told otherwise; --skip-image: the tag already deployed (planner).
  const tagDefault = out.skipImage ? undefined : inputs.packageVersion;
  const imageTag = given.imageTag ?? tagDefault;
  if (imageTag !== undefined) out.imageTag = imageTag;
  return out;
}

/** Runner external: where the key lives (scheduler env or credentials table); no pool, repository, schedule or image. */
async function chooseExternalSettings(w: Wizard, inputs: SettingInputs, out: SettingAnswers): Promise<SettingAnswers> {
  const { given, remembered } = inputs;
  const rememberedCredentials = remembered.credentials === 'secret' ? undefined : remembered.credentials;
  out.credentials = await choose<'secret' | 'table' | 'none'>(w, {
    flag: '--credentials none|table', what: 'where the REST API key is kept', given: given.credentials, remembered: rememberedCredentials, suggested: 'none',
    prompt: (current) => w.prompter!.select({ message: 'Where should each sync run get the Batch REST API key?', default: current ?? 'none', choices: [
      { value: 'none' as const, name: 'From the scheduler (env BATCH_REST_API_KEY, recommended)', description: 'kept in your scheduler\'s secret store; nothing stored in Snowflake' },
      { value: 'table' as const, name: 'A credentials table in Snowflake', description: 'PROJECT_KEY and REST_API_KEY columns, read by each run' },
    ] }),
  });
  out.initialSync = await choose<boolean>(w, {
    flag: '--initial-sync / --no-initial-sync', what: 'send the existing rows on the first run', given: given.initialSync, remembered: remembered.initialSync, suggested: true,
    show: (v) => (v ? 'yes' : 'no'),
    prompt: (current) => w.prompter!.confirm({ message: 'Send every existing row on the first run (initial backfill)?', default: current ?? true }),
  });
  out.skipImage = true;
  return out;
}
