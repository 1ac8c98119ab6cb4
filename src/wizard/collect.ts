/**
 * Gathers every answer, in the order a person thinks about them: source → target → columns (on a sample of
 * the data) → settings, then previews the payloads. With a session the choices are informed by the data;
 * without one (an offline dry run) only flags and the saved config count.
 */
import type { ColumnInfo } from '../../shared/snowflake/types.js';
import { sampleSource, type SessionFacts, type SourceSample } from '../introspect/source.js';
import { parseQualifiedName, renderQualifiedName } from '../../shared/sql/identifiers.js';
import { DEFAULT_BATCH_API_HOST, type InitAnswers, type InitAnswersInput } from '../config/answers.js';
import type { ProjectAnswers } from '../config/syncs.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { chooseColumns } from './choose-columns.js';
import { chooseSettings } from './choose-settings.js';
import { batchApiUrl } from '../plan/task-steps.js';
import { chooseSource, chooseTarget, type Source } from './choose-source.js';
import type { Wizard } from './context.js';
import type { GivenAnswers } from './given.js';
import { buildPreview, printPreview, type PreviewResult } from './preview.js';
import { chooseEventColumns, chooseKind, toMapping } from './choose-events.js';
import { buildEventPreview, printEventPreview } from './event-preview.js';
import { alertAnswers, askAlerts, type SuppliedWebhook } from './choose-alerts.js';

export const SAMPLE_ROWS = 1000;

export interface Collected {
  /** Complete when nothing is missing (w.missing empty); validated later by parseInitAnswers. */
  answers: Partial<InitAnswersInput>;
  preview: PreviewResult | null;
  /** The source's columns (sampled; METADATA$ excluded), or null without a connection: the mapping compare (issue 20). */
  columns: ColumnInfo[] | null;
  /** The secret part of a webhook URL typed at the alerts question (never saved). */
  webhookSecret?: string;
}

function relationOf(source: Source): string {
  return source.kind === 'view' ? renderQualifiedName(parseQualifiedName(source.view, 'view', 3)) : `(${source.sql}) AS BATCH_SYNC_SOURCE`;
}

export async function collectAnswers(
  w: Wizard,
  session: SnowflakeSession | null,
  given: GivenAnswers,
  /** The sync's saved answers (reconfigure), the project's shared ones only (a sync added to it), or none. */
  saved: InitAnswers | ProjectAnswers | undefined,
  facts: SessionFacts | null,
  packageVersion: string,
  /** Alert flags and the webhook read before connecting (src/wizard/choose-alerts.ts). */
  alerts: { flags: Parameters<typeof alertAnswers>[0]; webhook: SuppliedWebhook | undefined } | null = null,
): Promise<Collected> {
  const own = saved && 'source' in saved ? saved : undefined;
  const source = await chooseSource(w, session, given.source, own?.source);
  const target = await chooseTarget(w, given.target, saved?.target, source, facts?.database ?? null);
  let sample: SourceSample | null = null;
  if (session && source) {
    sample = await w.output.step('Reading a sample of the source', () => sampleSource(session, relationOf(source), SAMPLE_ROWS), (s) => `Sampled ${s.rows.length} row(s), ${s.columns.length} column(s) of the source`);
  }
  const kind = await chooseKind(w, given.kind, own?.kind);
  const columns = await chooseColumns(w, session, sample, source ? relationOf(source) : null, {
    given: { idColumn: given.idColumn, dateColumns: given.dateColumns, urlColumns: given.urlColumns },
    remembered: { idColumn: own?.idColumn, dateColumns: own?.dateColumns, urlColumns: own?.urlColumns },
    // An event source repeats the custom ID by design (many events per profile).
    consent: kind === 'event' ? { ...given.idConsent, duplicates: true } : given.idConsent,
  });
  const event = kind === 'event' ? await chooseEventColumns(w, sample, columns.idColumn, given.event, own?.event) : undefined;
  // The event time, name, label and tags columns are not attributes: never date or URL attributes either.
  if (event && columns.dateColumns) {
    const special = new Set([event.eventTimeColumn, event.eventNameColumn, event.labelColumn, event.tagsColumn]);
    columns.dateColumns = columns.dateColumns.filter((c) => !special.has(c));
  }
  const settings = await chooseSettings(w, {
    // Events older than 24 h cannot be sent, so an event sync starts from new rows unless told otherwise.
    given: kind === 'event' && given.settings.initialSync === undefined ? { ...given.settings, initialSync: own?.initialSync ?? false } : given.settings,
    remembered: { ...saved, ...(own ? {} : { projectKey: undefined, schedule: undefined, initialSync: undefined }) },
    session: { role: facts?.role ?? null, warehouse: facts?.warehouse ?? null },
    packageVersion,
  });
  // Flags beat the saved config, which beats the defaults (answers.ts).
  const worker = { ...own?.worker, ...given.worker };
  const batchApiHost = given.batchApiHost ?? saved?.batchApiHost ?? DEFAULT_BATCH_API_HOST;
  let preview: PreviewResult | null = null;
  if (sample && columns.idColumn && kind === 'event' && event) {
    printEventPreview(w, buildEventPreview(sample, toMapping(columns.idColumn, event, columns.dateColumns ?? [], columns.urlColumns ?? []), Date.now()), batchApiUrl(batchApiHost));
  } else if (sample && columns.idColumn) {
    preview = buildPreview(sample, { idColumn: columns.idColumn, dateColumns: columns.dateColumns ?? [], urlColumns: columns.urlColumns ?? [], nullPolicy: worker.nullPolicy ?? 'skip' }, columns.idStats);
    printPreview(w, preview, batchApiUrl(batchApiHost));
  }
  const asked = alerts && session ? await askAlerts(w, alerts.flags, saved) : undefined;
  const alertFlags = alerts ? { ...alerts.flags, ...(asked?.email ? { alertEmail: asked.email } : {}) } : null;
  const answers: Partial<InitAnswersInput> = {
    // Settings without a prompt of their own (names, API host, pool sizing) carry over from the saved config.
    ...(saved ? { names: saved.names, instanceFamily: saved.instanceFamily, autoSuspendSecs: saved.autoSuspendSecs } : {}),
    ...(own ? { skipEmptyRuns: own.skipEmptyRuns } : {}),
    batchApiHost,
    worker,
    kind,
    ...(event ? { event: event as InitAnswersInput['event'] } : {}),
    ...settings,
    ...(source ? { source } : {}),
    ...(target ? { target } : {}),
    ...(columns.idColumn ? { idColumn: columns.idColumn } : {}),
    dateColumns: columns.dateColumns ?? [],
    urlColumns: columns.urlColumns ?? [],
    ...(alerts && alertFlags ? alertAnswers(alertFlags, alerts.webhook ?? asked?.webhook, saved) : { ...(saved?.alerts ? { alerts: saved.alerts } : {}), ...(own?.alertRules ? { alertRules: own.alertRules } : {}) }),
  };
  return { answers, preview, columns: sample ? sample.columns.filter((c) => !c.name.toUpperCase().startsWith('METADATA$')) : null, ...(asked?.webhook ? { webhookSecret: asked.webhook.secret } : {}) };
}
