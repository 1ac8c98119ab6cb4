/**
 * The answers given on the command line (flags of `init` plus the connection's --role/--warehouse), and the
 * extra flags of init that are not answers. Flags beat the saved config, which beats computed defaults.
 */
import type { InitOptions } from './init-options.js';
import type { ConnectionFlags } from '../../shared/snowflake/connection-config.js';
import type { Source } from './choose-source.js';
import { sourceFromFlags } from './choose-source.js';
import type { SettingAnswers } from './choose-settings.js';
import type { IdConsent } from './id-column-check.js';
import type { WorkerSettings } from '../config/answers.js';
import type { EventAnswers, SyncKind } from '../config/event-answers.js';

/** init's options as the CLI parses them (src/cli/flags/init.ts). */
export type InitFlags = InitOptions;

export interface GivenAnswers {
  source: Source | undefined;
  target: string | undefined;
  idColumn: string | undefined;
  dateColumns: string[] | undefined;
  urlColumns: string[] | undefined;
  idConsent: IdConsent;
  settings: SettingAnswers;
  /** --batch-api-url as host[:port]. */
  batchApiHost: string | undefined;
  /** Worker policies and pacing given as flags (each beats the saved one). */
  worker: Partial<WorkerSettings>;
  /** --kind; any event flag implies event. */
  kind: SyncKind | undefined;
  /** The event columns given as flags. */
  event: Partial<EventAnswers>;
}

function eventFlags(flags: InitFlags): Partial<EventAnswers> {
  const given: Partial<EventAnswers> = {};
  if (flags.eventNameColumn !== undefined) given.eventNameColumn = flags.eventNameColumn;
  if (flags.eventName !== undefined) given.eventName = flags.eventName;
  if (flags.eventTimeColumn !== undefined) given.eventTimeColumn = flags.eventTimeColumn;
  if (flags.eventAttributeColumns !== undefined) given.attributeColumns = flags.eventAttributeColumns;
  if (flags.labelColumn !== undefined) given.labelColumn = flags.labelColumn;
  if (flags.tagsColumn !== undefined) given.tagsColumn = flags.tagsColumn;
  return given;
}

function workerFlags(flags: InitFlags): Partial<WorkerSettings> {
  const given: Partial<WorkerSettings> = {};
  for (const key of ['nullPolicy', 'deletePolicy', 'endpoint', 'massUpdateThreshold', 'massUpdateRate', 'rate', 'burst', 'concurrency'] as const) {
    if (flags[key] !== undefined) (given as Record<string, unknown>)[key] = flags[key];
  }
  return given;
}

export async function givenAnswers(flags: InitFlags, connection: ConnectionFlags, cwd: string): Promise<GivenAnswers> {
  const settings: SettingAnswers = { skipImage: flags.skipImage };
  const set = <K extends keyof SettingAnswers>(key: K, value: SettingAnswers[K] | undefined) => {
    if (value !== undefined) settings[key] = value;
  };
  set('projectKey', flags.projectKey);
  set('runner', flags.runner);
  set('credentials', flags.credentials);
  set('computePool', flags.computePool);
  set('imageRepository', flags.imageRepository);
  set('schedule', flags.schedule);
  set('initialSync', flags.initialSync);
  set('imageTag', flags.imageTag);
  set('role', connection.role);
  set('warehouse', connection.warehouse);
  return {
    source: await sourceFromFlags(flags, cwd),
    target: flags.target,
    idColumn: flags.idColumn,
    dateColumns: flags.dateColumns,
    urlColumns: flags.urlColumns,
    idConsent: { duplicates: flags.allowDuplicateIds === true, nulls: flags.allowNullIds === true },
    settings,
    batchApiHost: flags.batchApiUrl,
    worker: workerFlags(flags),
    kind: flags.kind ?? (Object.keys(eventFlags(flags)).length > 0 ? 'event' : undefined),
    event: eventFlags(flags),
  };
}
