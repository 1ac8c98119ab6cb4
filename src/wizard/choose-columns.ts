/**
 * Column choices, made on a sample of the data: the ID column (checked unique and non-null on the whole
 * source — a hard stop unless the user accepts the problems, id-column-check.ts), date columns (pre-selected from DATE/TIMESTAMP types), URL columns
 * (suggested when every sampled value is an http(s) URL). Column names are exact, as the worker takes them.
 */
import { findIdColumn, isMetadataColumn } from '../../shared/payload/index.js';
import { suggestDateColumns, suggestUrlColumns, type IdColumnStats, type SourceSample } from '../introspect/source.js';
import type { ColumnInfo, SnowflakeSession } from '../../shared/snowflake/types.js';
import { usageError } from '../../shared/errors.js';
import { choose, type Wizard } from './context.js';
import { checkIdColumn, type IdConsent } from './id-column-check.js';

export interface ColumnAnswers {
  idColumn: string | undefined;
  dateColumns: string[] | undefined;
  urlColumns: string[] | undefined;
  /** Whole-source counts of the chosen ID column (null: not checked, e.g. offline). */
  idStats: IdColumnStats | null;
  /** What the user accepted about the ID column (flags or the wizard's choice). */
  idConsent: IdConsent;
}

export interface ColumnInputs {
  consent: IdConsent;
  given: Partial<Record<keyof ColumnAnswers, unknown>> & { idColumn?: string | undefined; dateColumns?: string[] | undefined; urlColumns?: string[] | undefined };
  remembered: { idColumn?: string | undefined; dateColumns?: string[] | undefined; urlColumns?: string[] | undefined };
}

const ID_GUESS = /^(CUSTOM_?ID|CUSTOMER_?ID|USER_?ID|ID)$/i;
const list = (names: string[]) => (names.length === 0 ? '(none)' : names.join(','));

/** Exact column names for names typed in any case (the worker matches case-insensitively too). */
function exactNames(columns: readonly ColumnInfo[], names: readonly string[]): string[] {
  return names.map((name) => columns.find((c) => c.name === name)?.name ?? columns.find((c) => c.name.toUpperCase() === name.toUpperCase())?.name ?? name);
}

export async function chooseColumns(w: Wizard, session: SnowflakeSession | null, sample: SourceSample | null, relation: string | null, inputs: ColumnInputs): Promise<ColumnAnswers> {
  const columns = (sample?.columns ?? []).filter((c) => !isMetadataColumn(c.name));
  const { given, remembered } = inputs;
  const askId = (current: string | undefined) => w.prompter!.select<string>({
    message: 'Which column holds the Batch custom user ID?',
    choices: columns.map((c) => ({ value: c.name, name: `${c.name} (${c.type})` })),
    default: current ?? columns.find((c) => ID_GUESS.test(c.name))?.name,
  });
  let idColumn = await choose<string>(w, {
    flag: '--id-column COLUMN',
    what: 'column holding the Batch custom ID',
    given: given.idColumn === undefined ? undefined : exactNames(columns, [given.idColumn])[0],
    remembered: remembered.idColumn,
    ...(sample ? { prompt: askId } : {}),
  });
  let idStats: IdColumnStats | null = null;
  let idConsent = inputs.consent;
  if (idColumn && session && relation && sample && findIdColumn(columns, idColumn)) {
    const checked = await checkIdColumn(w, findIdColumn(columns, idColumn)!.name, { session, relation, consent: inputs.consent, askAgain: askId });
    ({ column: idColumn, stats: idStats, consent: idConsent } = checked);
  }
  const others = columns.filter((c) => c.name !== idColumn);
  const dateSuggested = sample ? suggestDateColumns(others) : undefined;
  const dateColumns = await choose<string[]>(w, {
    flag: '--date-columns a,b',
    what: 'date columns',
    given: given.dateColumns === undefined ? undefined : exactNames(columns, given.dateColumns),
    remembered: remembered.dateColumns,
    suggested: dateSuggested ?? [],
    show: list,
    ...(sample ? { prompt: (current) => w.prompter!.checkbox<string>({
      message: 'Date attributes (sent as date(...); DATE and TIMESTAMP columns pre-selected):',
      choices: others.map((c) => ({ value: c.name, name: `${c.name} (${c.type})`, checked: (current ?? []).includes(c.name) })),
    }) } : {}),
  });
  const urlSuggested = sample ? suggestUrlColumns({ columns: others, rows: sample.rows }) : undefined;
  const urlColumns = await choose<string[]>(w, {
    flag: '--url-columns c,d',
    what: 'URL columns',
    given: given.urlColumns === undefined ? undefined : exactNames(columns, given.urlColumns),
    remembered: remembered.urlColumns,
    suggested: urlSuggested ?? [],
    show: list,
    ...(sample ? { prompt: (current) => w.prompter!.checkbox<string>({
      message: 'URL attributes (sent as url(...); columns whose sampled values are all URLs pre-selected):',
      choices: others.filter((c) => c.type === 'text').map((c) => ({ value: c.name, name: c.name, checked: (current ?? []).includes(c.name) })),
    }) } : {}),
  });
  if (sample) {
    requireColumns(columns, '--id-column', idColumn ? [idColumn] : []);
    requireColumns(columns, '--date-columns', dateColumns ?? []);
    requireColumns(columns, '--url-columns', urlColumns ?? []);
  }
  return { idColumn, dateColumns, urlColumns, idStats, idConsent };
}

/** A named column must be one of the source's (DESC of the sample); otherwise the worker would fail every run. */
function requireColumns(columns: readonly ColumnInfo[], flag: string, names: readonly string[]): void {
  const unknown = names.filter((name) => !columns.some((c) => c.name === name));
  if (unknown.length === 0) return;
  const available = columns.map((c) => c.name).join(', ');
  throw usageError('COLUMN_NOT_IN_SOURCE', `${flag}: ${unknown.map((n) => JSON.stringify(n)).join(', ')} ${unknown.length === 1 ? 'is not a column' : 'are not columns'} of the source (its columns: ${available}).`, {
    suggestion: `Pass ${flag} with names from: ${available} (or fix the saved answer in batch-snowflake.json).`,
    details: { flag, unknown, available: columns.map((c) => c.name) },
  });
}
