/**
 * The ID column decides which Batch profile a row updates, so it is checked on the WHOLE source (COUNT,
 * COUNT DISTINCT) before anything is written, and a bad one is a hard stop, not a warning:
 * - duplicate IDs: rows sharing an ID overwrite each other's profile on every run (last write wins) —
 *   refused unless the user says they accept that (--allow-duplicate-ids, or the same choice in the wizard);
 * - NULL IDs: such rows can never be sent (Batch needs a custom ID). Up to NULL_ID_THRESHOLD of the rows this
 *   is said with the count; above it, it is refused unless the user accepts it (--allow-null-ids).
 * The wizard re-asks for the column instead of stopping; --no-interactive stops with the fix (exit 2).
 */
import { usageError } from '../../shared/errors.js';
import { idColumnStats, type IdColumnStats } from '../introspect/source.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import type { Wizard } from './context.js';

/**
 * Share of rows without an ID above which consent is needed: 1 %. A handful of incomplete rows (test
 * accounts, rows still being filled in) is normal in a customer table; more than 1 in 100 rows that will
 * never reach Batch usually means the wrong column (or a view that needs `WHERE id IS NOT NULL`).
 */
export const NULL_ID_THRESHOLD = 0.01;

export interface IdConsent {
  /** --allow-duplicate-ids: rows sharing an ID overwrite each other (last write wins). */
  duplicates: boolean;
  /** --allow-null-ids: more than NULL_ID_THRESHOLD of the rows never sync. */
  nulls: boolean;
}

export interface IdVerdict {
  stats: IdColumnStats;
  /** Problems that need consent and do not have it. */
  refused: Array<'duplicates' | 'nulls'>;
}

export function judgeIdColumn(stats: IdColumnStats, consent: IdConsent): IdVerdict {
  const refused: IdVerdict['refused'] = [];
  if (stats.duplicates > 0 && !consent.duplicates) refused.push('duplicates');
  if (stats.nulls > stats.rows * NULL_ID_THRESHOLD && !consent.nulls) refused.push('nulls');
  return { stats, refused };
}

const percent = (n: number, of: number) => (of === 0 ? '0' : ((100 * n) / of).toFixed((100 * n) / of < 0.1 ? 2 : 1));

export function describeIdProblems(column: string, stats: IdColumnStats): string[] {
  const lines: string[] = [];
  if (stats.duplicates > 0) lines.push(`${stats.duplicates} of ${stats.rows} row(s) repeat an ID already used by another row: their Batch profiles overwrite each other on every run (last write wins).`);
  if (stats.nulls > 0) lines.push(`${stats.nulls} of ${stats.rows} row(s) (${percent(stats.nulls, stats.rows)} %) have no ${column}: they will never sync.`);
  return lines;
}

function refusal(column: string, verdict: IdVerdict) {
  const flags = verdict.refused.map((r) => (r === 'duplicates' ? '--allow-duplicate-ids' : '--allow-null-ids'));
  const what = verdict.refused.map((r) => (r === 'duplicates' ? 'is not unique' : `is NULL on more than ${NULL_ID_THRESHOLD * 100} % of the rows`)).join(' and ');
  return usageError('ID_COLUMN_UNSUITABLE', `ID column ${column} ${what}: ${describeIdProblems(column, verdict.stats).join(' ')}`, {
    suggestion: `Pick a unique, non-null column (--id-column COLUMN), or fix the view (e.g. WHERE ${column} IS NOT NULL, QUALIFY ROW_NUMBER() OVER (PARTITION BY ${column} ORDER BY …) = 1); or, to sync it anyway, add ${flags.join(' ')}.`,
    details: { idColumn: column, ...verdict.stats, refused: verdict.refused, threshold: NULL_ID_THRESHOLD },
  });
}

export interface IdCheckInput {
  session: SnowflakeSession;
  relation: string;
  consent: IdConsent;
  /** Asks for another column (interactive only). */
  askAgain: (previous: string) => Promise<string>;
}

/** Checks `column` and, interactively, asks again until the column passes or the user accepts its problems. */
export async function checkIdColumn(w: Wizard, column: string, input: IdCheckInput): Promise<{ column: string; stats: IdColumnStats; consent: IdConsent }> {
  const consent = { ...input.consent };
  for (;;) {
    const verdict = judgeIdColumn(await idColumnStats(input.session, input.relation, column), consent);
    const { stats } = verdict;
    if (verdict.refused.length === 0) {
      if (stats.nulls === 0 && stats.duplicates === 0) w.output.success(`ID column ${column}: unique and never NULL on ${stats.rows} rows`);
      else for (const line of describeIdProblems(column, stats)) w.output.warn(`ID column ${column}: ${line}`);
      return { column, stats, consent };
    }
    const error = refusal(column, verdict);
    if (!w.prompter) throw error;
    w.output.info(`${w.output.style.red('✖')} ${error.message}`);
    const choice = await w.prompter.select<'other' | 'accept'>({
      message: `ID column ${column} is not suitable. What now?`,
      choices: [
        { value: 'other', name: 'Pick another column' },
        { value: 'accept', name: `Keep ${column}: I accept ${verdict.refused.map((r) => (r === 'duplicates' ? 'that duplicates overwrite each other (last write wins)' : 'that rows without an ID never sync')).join(' and ')}` },
      ],
      default: 'other',
    });
    if (choice === 'accept') {
      for (const r of verdict.refused) consent[r] = true;
      continue;
    }
    column = await input.askAgain(column);
  }
}
