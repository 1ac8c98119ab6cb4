/**
 * CREATE [OR REPLACE] { DATABASE | SCHEMA | TABLE } [IF NOT EXISTS] <name> CLONE <source>
 * (https://docs.snowflake.com/en/sql-reference/sql/create-clone, https://docs.snowflake.com/en/user-guide/object-clone):
 * - the clone is owned by the creating role; grants on the source itself are not copied (COPY GRANTS on a table
 *   copies every privilege but OWNERSHIP); a database or schema clone keeps the grants on its child objects;
 * - object parameters set on the source are copied (bcr-913); change tracking is not (docs silent: stricter);
 * - tasks in a cloned schema are suspended; a cloned stream starts at the clone's time (its unconsumed
 *   records are not visible in the clone); views are re-created in the clone's schema;
 * - AT | BEFORE (Time Travel) is not modelled and is refused (unsupported).
 */
import type { EngineResult } from '../engine-types.js';
import { duckName, qualifiedName, type SchemaEntry, type SchemaObject } from './catalog.js';
import { kindDoesNotExist, unsupported } from './errors.js';
import { qualifySchema, resolveObject } from './names.js';
import { statusResult } from './session.js';
import type { StatementEnv } from './statements.js';
import { createSnapshot, snapshotTableFor, streamDiffSql } from './streams.js';
import { aliasSelectList } from './select-names.js';
import { addSchema } from './ddl-containers.js';
import { tokenize } from './lexer.js';

function refuseTimeTravel(env: StatementEnv): void {
  if (env.cursor.accept('AT') || env.cursor.accept('BEFORE')) throw unsupported('CLONE with AT | BEFORE (Time Travel)');
}

/** After `CREATE … TABLE <name>`: `CLONE <source> [COPY GRANTS]`; the target was checked/dropped by the caller. */
export async function cloneTable(env: StatementEnv, target: SchemaObject): Promise<EngineResult> {
  const c = env.cursor;
  const { catalog } = env.session.core;
  const source = resolveObject(catalog, c.name(), env.session.context, ['TABLE']);
  refuseTimeTravel(env);
  const copyGrants = c.accept('COPY', 'GRANTS');
  if (!c.atEnd()) throw c.error();
  env.session.core.hooks.authorizeQuery?.(env.session, 'SELECT', [source]);
  await copyTable(env, source, target);
  if (copyGrants) copyGrantsOf(env, qualifiedName(source), qualifiedName(target), (p) => p !== 'OWNERSHIP');
  catalog.schema(target.database, target.schema)!.objects.set(target.name, target);
  return statusResult('DDL', `Table ${target.name} successfully created.`);
}

async function copyTable(env: StatementEnv, source: SchemaObject, target: SchemaObject): Promise<void> {
  await env.session.conn.run(`CREATE TABLE ${duckName(target)} AS SELECT * FROM ${duckName(source)}`);
  target.columns = source.columns.map((col) => ({ ...col }));
  target.props = { ...source.props };
  delete target.props.CHANGE_TRACKING;
  target.comment = source.comment;
  target.changeTracking = false;
}

function copyGrantsOf(env: StatementEnv, from: string, to: string, keep: (privilege: string) => boolean): void {
  const { grants } = env.session.core.catalog;
  for (const g of [...grants]) if (g.name === from && keep(g.privilege)) grants.push({ ...g, name: to, createdOn: new Date() });
}

/** Copies every object of `source` into the (new, empty) schema `target`, keeping grants on the children. */
async function cloneSchemaObjects(env: StatementEnv, source: SchemaEntry, target: SchemaEntry): Promise<void> {
  const { catalog } = env.session.core;
  const objects = [...source.objects.values()].sort((a, b) => order(a) - order(b));
  for (const o of objects) {
    const copy: SchemaObject = { ...o, id: catalog.newId(), database: target.database, schema: target.name, owner: o.owner, createdOn: new Date(), props: { ...o.props }, columns: o.columns.map((col) => ({ ...col })) };
    if (o.kind === 'TABLE') {
      await copyTable(env, o, copy);
      copy.changeTracking = o.changeTracking;
    } else if (o.kind === 'VIEW') {
      const context = { ...env.session.context, database: target.database, schema: target.name };
      const tokens = tokenize(o.view!.selectSql);
      const translated = aliasSelectList({ sql: o.view!.selectSql, tokens, catalog, session: context, binds: [], streamSql: (s) => streamDiffSql(catalog, s) });
      await env.session.conn.run(`CREATE VIEW ${duckName(copy)} AS ${translated.sql}`);
      copy.view = { ...o.view!, duckSql: translated.sql };
    } else if (o.kind === 'TASK') {
      copy.task = { ...o.task!, state: 'suspended' };
    } else if (o.kind === 'STREAM') {
      const src = catalog.objectById(o.stream!.sourceId);
      const cloned = src && src.database === source.database && src.schema === source.name ? target.objects.get(src.name) : src;
      if (!cloned) continue;
      copy.stream = { ...o.stream!, sourceId: cloned.id, snapshotTable: snapshotTableFor(copy.id), lastConsumedOn: new Date(), showInitialRows: false };
    }
    target.objects.set(copy.name, copy);
    if (copy.stream) await createSnapshot(env.session.conn, catalog, copy);
    copyGrantsOf(env, qualifiedName(o), qualifiedName(copy), () => true);
  }
}

const order = (o: SchemaObject) => ['TABLE', 'VIEW', 'STREAM'].indexOf(o.kind) + 1 || 4;

/** After `CREATE … SCHEMA <name>`: `CLONE <source>`; the target name was checked/dropped by the caller. */
export async function cloneSchema(env: StatementEnv, database: string, name: string): Promise<EngineResult> {
  const c = env.cursor;
  const { catalog } = env.session.core;
  const q = qualifySchema(c.name(2), env.session.context);
  const source = catalog.schema(q.database, q.schema);
  if (!source) throw kindDoesNotExist('SCHEMA', `${q.database}.${q.schema}`);
  refuseTimeTravel(env);
  if (!c.atEnd()) throw c.error();
  const target = await addSchema(env.session.conn, catalog, database, name, env.session.context.role, source.comment);
  target.props = { ...source.props };
  await cloneSchemaObjects(env, source, target);
  return statusResult('DDL', `Schema ${name} successfully created.`);
}

/** After `CREATE … DATABASE <name>`: `CLONE <source>`; every schema is cloned. */
export async function cloneDatabase(env: StatementEnv, name: string): Promise<EngineResult> {
  const c = env.cursor;
  const { catalog } = env.session.core;
  const source = catalog.databases.get(c.ident());
  if (!source) throw kindDoesNotExist('DATABASE', c.tokens[c.i - 1]!.value);
  refuseTimeTravel(env);
  if (!c.atEnd()) throw c.error();
  catalog.databases.set(name, { name, owner: env.session.context.role, createdOn: new Date(), comment: source.comment, props: { ...source.props }, schemas: new Map() });
  for (const s of source.schemas.values()) {
    const target = await addSchema(env.session.conn, catalog, name, s.name, s.owner, s.comment);
    target.props = { ...s.props };
    await cloneSchemaObjects(env, s, target);
    copyGrantsOf(env, `${source.name}.${s.name}`, `${name}.${s.name}`, () => true);
  }
  return statusResult('DDL', `Database ${name} successfully created.`);
}
