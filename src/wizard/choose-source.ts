/**
 * Choice of the data source: an existing view (searchable list of the views the role can see), or a SELECT
 * (from --view-sql FILE or typed in) that becomes a view named --view-name. Also where the integration's
 * objects go (--target DB.SCHEMA).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { usageError } from '../../shared/errors.js';
import { listViews } from '../introspect/source.js';
import { DEFAULT_OBJECT_NAMES, type InitAnswers } from '../config/answers.js';
import { canonicalName, parseQualifiedName, renderQualifiedName } from '../../shared/sql/identifiers.js';
import { checkViewSelect } from '../plan/view-select.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { choose, type Wizard } from './context.js';

export type Source = InitAnswers['source'];

/** --view / --view-sql FILE --view-name → a source (the file is read relative to the working folder). */
export async function sourceFromFlags(flags: { view?: string | undefined; viewSql?: string | undefined; viewName?: string | undefined }, cwd: string): Promise<Source | undefined> {
  if (flags.view) return { kind: 'view', view: canonicalName(flags.view, 'view', 3) };
  if (!flags.viewSql) return undefined;
  const file = path.resolve(cwd, flags.viewSql);
  const sql = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw usageError('VIEW_SQL_UNREADABLE', `Cannot read --view-sql ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}.`, {
      suggestion: 'Pass the path of a file holding one SELECT statement.',
    });
  });
  return { kind: 'select', sql: checkViewSelect(sql).sql, viewName: canonicalName(flags.viewName ?? DEFAULT_OBJECT_NAMES.view, 'view name', [1, 3]) };
}

const validName = (what: string, parts: 1 | 2 | 3 | readonly number[]) => (value: string): true | string => {
  try {
    parseQualifiedName(value, what, parts);
    return true;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

export async function chooseSource(w: Wizard, session: SnowflakeSession | null, given: Source | undefined, remembered: Source | undefined): Promise<Source | undefined> {
  return choose<Source>(w, {
    flag: '--view DB.SCHEMA.VIEW (or --view-sql FILE --view-name NAME)',
    what: 'view to sync',
    given,
    remembered,
    show: (s) => (s.kind === 'view' ? s.view : `SELECT from --view-sql as view ${s.viewName}`),
    prompt: async (current) => {
      const p = w.prompter!;
      const kind = await p.select<'view' | 'select'>({
        message: 'Which data should be synced to Batch?',
        choices: [
          { value: 'view', name: 'An existing view', description: 'pick one of the views your role can see' },
          { value: 'select', name: 'A SELECT statement', description: 'batch-snowflake creates a view from it' },
        ],
        default: current?.kind ?? 'view',
      });
      if (kind === 'view') {
        const views = session ? await listViews(session) : [];
        if (views.length === 0) {
          const view = await p.input({ message: 'View (DB.SCHEMA.VIEW):', ...(current?.kind === 'view' ? { default: current.view } : {}), validate: validName('view', 3) });
          return { kind: 'view', view: canonicalName(view, 'view', 3) };
        }
        const view = await p.search<string>({
          message: `View to sync (${views.length} visible; type to filter):`,
          source: (term) => views.filter((v) => !term || v.toLowerCase().includes(term.toLowerCase())).map((v) => ({ value: v, name: v })),
        });
        return { kind: 'view', view };
      }
      const file = await p.input({ message: 'File holding the SELECT statement:', validate: (v) => (v.trim() ? true : 'a file path is needed') });
      const viewName = await p.input({ message: 'Name of the view to create (NAME in the target schema, or DB.SCHEMA.NAME):', default: current?.kind === 'select' ? current.viewName : DEFAULT_OBJECT_NAMES.view, validate: validName('view name', [1, 3]) });
      return (await sourceFromFlags({ viewSql: file, viewName }, w.cwd)) as Source;
    },
  });
}

/** The dedicated schema suggested for the integration's objects; created by the plan when it does not exist. */
export const DEDICATED_SCHEMA = 'BATCH_SYNC';

/**
 * Default target: a dedicated BATCH_SYNC schema in the view's database (for a SELECT: the database of a
 * DB.SCHEMA.NAME view name, else the session's current database).
 */
export async function chooseTarget(w: Wizard, given: string | undefined, remembered: string | undefined, source: Source | undefined, currentDatabase: string | null): Promise<string | undefined> {
  const named = source?.kind === 'view' ? source.view : source?.kind === 'select' ? source.viewName : undefined;
  const parts = named ? parseQualifiedName(named, 'view', [1, 3]) : [];
  const database = parts.length === 3 ? parts[0] : currentDatabase;
  const suggested = database ? renderQualifiedName([database, DEDICATED_SCHEMA]) : undefined;
  return choose<string>(w, {
    flag: '--target DB.SCHEMA',
    what: 'schema for the stream, task, secret and tables (created if missing)',
    given: given === undefined ? undefined : canonicalName(given, 'target schema', 2),
    remembered,
    suggested,
    prompt: async (current) => canonicalName(await w.prompter!.input({ message: 'Schema for the integration objects (DB.SCHEMA):', ...(current ? { default: current } : {}), validate: validName('target schema', 2) }), 'target schema', 2),
  });
}
