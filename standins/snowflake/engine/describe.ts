/** DESCRIBE TABLE | VIEW (interchangeable, reference §7): one row per column. */
import type { EngineResult } from '../engine-types.js';
import { resolveObject } from './names.js';
import { COLUMNS, showResult } from './show-format.js';
import { taskRow } from './show.js';
import type { StatementEnv } from './statements.js';
import { describeType } from './types.js';
import { unsupported } from './errors.js';

const DESCRIBE_COLUMNS = ['name', 'type', 'kind', 'null?', 'default', 'primary key', 'unique key', 'check', 'expression', 'comment', 'policy name', 'privacy domain'];

export async function runDescribe(env: StatementEnv): Promise<EngineResult> {
  const c = env.cursor;
  c.i = 1;
  if (!c.accept('TABLE') && !c.accept('VIEW')) {
    if (c.accept('TASK')) {
      // DESCRIBE TASK: the columns of SHOW TASKS (https://docs.snowflake.com/en/sql-reference/sql/desc-task).
      const o = resolveObject(env.session.core.catalog, c.name(), env.session.context, ['TASK']);
      const row = { created_on: o.createdOn, name: o.name, database_name: o.database, schema_name: o.schema, owner: o.owner, comment: o.comment ?? '', owner_role_type: 'ROLE', ...taskRow(o) };
      return { ...showResult(COLUMNS.TASKS, [row]), kind: 'DESCRIBE' };
    }
    if (c.accept('STREAM')) {
      const stream = resolveObject(env.session.core.catalog, c.name(), env.session.context, ['STREAM']);
      return { ...showResult(['name'], [{ name: stream.name }]), kind: 'DESCRIBE' };
    }
    throw unsupported('DESCRIBE of this object kind');
  }
  const obj = resolveObject(env.session.core.catalog, c.name(), env.session.context, ['TABLE', 'VIEW']);
  const rows = obj.columns.map((col) => ({
    name: col.name, type: describeType(col), kind: 'COLUMN', 'null?': col.nullable ? 'Y' : 'N', default: col.default ?? null,
    'primary key': 'N', 'unique key': 'N', check: null, expression: null, comment: null, 'policy name': null, 'privacy domain': null,
  }));
  return { ...showResult(DESCRIBE_COLUMNS, rows), kind: 'DESCRIBE' };
}
