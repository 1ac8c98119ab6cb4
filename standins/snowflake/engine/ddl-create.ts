/** CREATE for databases, schemas, tables (incl. CTAS), views and streams; other kinds in ddl-objects.ts. */
import { checkViewStreamable } from './view-streamability.js';
import type { EngineResult } from '../engine-types.js';
import { duckName, duckSchema, quoteIdent, type SchemaObject } from './catalog.js';
import { alreadyExists, changeTrackingNotEnabled, kindDoesNotExist } from './errors.js';
import { isOp, isWord } from './lexer.js';
import { display, qualify, qualifySchema, resolveObject } from './names.js';
import { resultColumns } from './results.js';
import { aliasSelectList } from './select-names.js';
import { statusResult } from './session.js';
import type { StatementEnv } from './statements.js';
import { baseTablesOf, createSnapshot, snapshotTableFor, streamDiffSql } from './streams.js';
import { translate } from './translate.js';
import { parseType, duckType, type SfColumn } from './types.js';
import { createAccountOrSchemaObject } from './ddl-objects.js';
import { createDatabase, createSchema, dropSchemaObject } from './ddl-containers.js';
import { cloneTable } from './ddl-clone.js';
import { startTracking } from './change-versions.js';

export interface CreateFlags {
  orReplace: boolean;
  ifNotExists: boolean;
  modifiers: string[];
}

export async function runCreate(env: StatementEnv): Promise<EngineResult> {
  const c = env.cursor;
  c.i = 1;
  const flags: CreateFlags = { orReplace: c.accept('OR', 'REPLACE'), ifNotExists: false, modifiers: [] };
  while (isWord(c.peek(), 'SECURE', 'TRANSIENT', 'TEMPORARY', 'TEMP', 'LOCAL', 'GLOBAL', 'VOLATILE', 'RECURSIVE')) flags.modifiers.push(c.peek()!.value), c.i++;
  const kind = c.peek()?.value;
  c.i++;
  const takeIfNotExists = () => { flags.ifNotExists = c.accept('IF', 'NOT', 'EXISTS'); };
  switch (kind) {
    case 'DATABASE': takeIfNotExists(); return createDatabase(env, flags);
    case 'SCHEMA': takeIfNotExists(); return createSchema(env, flags);
    case 'TABLE': takeIfNotExists(); return createTable(env, flags);
    case 'VIEW': takeIfNotExists(); return createView(env, flags);
    case 'STREAM': takeIfNotExists(); return createStream(env, flags);
    default: c.i--; return createAccountOrSchemaObject(env, flags);
  }
}

/** Existence rules shared by schema-level CREATEs. Returns a result when nothing must be created. */
export async function checkExisting(env: StatementEnv, kind: SchemaObject['kind'], parts: string[], flags: CreateFlags): Promise<EngineResult | null> {
  const { catalog } = env.session.core;
  const q = qualify(parts, env.session.context);
  if (!catalog.schema(q.database, q.schema)) throw kindDoesNotExist('SCHEMA', `${q.database}.${q.schema}`);
  const existing = catalog.object(q.database, q.schema, q.name);
  if (!existing) return null;
  if (flags.ifNotExists && existing.kind === kind) return statusResult('DDL', `${q.name} already exists, statement succeeded.`);
  if (!flags.orReplace || existing.kind !== kind) throw alreadyExists(existing.kind === kind ? kind : 'OBJECT', q.name);
  await dropSchemaObject(env, existing);
  return null;
}

export function newObject(env: StatementEnv, kind: SchemaObject['kind'], parts: string[], extra: Partial<SchemaObject> = {}): SchemaObject {
  const q = qualify(parts, env.session.context);
  const obj: SchemaObject = {
    id: env.session.core.catalog.newId(), kind, database: q.database, schema: q.schema, name: q.name,
    owner: env.session.context.role, createdOn: new Date(), comment: null, props: {}, columns: [], changeTracking: false, text: '', ...extra,
  };
  return obj;
}

function register(env: StatementEnv, obj: SchemaObject): void {
  env.session.core.catalog.schema(obj.database, obj.schema)!.objects.set(obj.name, obj);
}

async function createTable(env: StatementEnv, flags: CreateFlags): Promise<EngineResult> {
  const c = env.cursor;
  const parts = c.name();
  const skip = await checkExisting(env, 'TABLE', parts, flags);
  if (skip) return skip;
  const obj = newObject(env, 'TABLE', parts);
  if (c.accept('CLONE')) return cloneTable(env, obj);
  const conn = env.session.conn;
  if (c.acceptOp('(')) {
    const columns: SfColumn[] = [];
    const defs: string[] = [];
    while (!c.acceptOp(')')) {
      if (isWord(c.peek(), 'PRIMARY', 'UNIQUE', 'FOREIGN', 'CONSTRAINT')) {
        // Snowflake does not enforce these; skip to the next top-level comma.
        let depth = 0;
        while (!(depth === 0 && (isOp(c.peek(), ',') || isOp(c.peek(), ')')))) {
          if (isOp(c.peek(), '(')) depth++;
          if (isOp(c.peek(), ')')) depth--;
          c.i++;
        }
        c.acceptOp(',');
        continue;
      }
      const name = c.ident();
      const { column, end } = parseType(env.sql, c.tokens, c.i);
      c.i = end;
      const col: SfColumn = { name, ...column, nullable: true, default: null };
      let def = `${quoteIdent(name)} ${duckType(col)}`;
      while (!isOp(c.peek(), ',') && !isOp(c.peek(), ')')) {
        if (c.accept('NOT', 'NULL')) { col.nullable = false; def += ' NOT NULL'; }
        else if (c.accept('NULL')) continue;
        else if (c.accept('DEFAULT')) {
          const start = c.i;
          let depth = 0;
          while (!(depth === 0 && (isOp(c.peek(), ',') || isOp(c.peek(), ')') || isWord(c.peek(), 'NOT', 'NULL', 'COMMENT', 'PRIMARY', 'UNIQUE')))) {
            if (isOp(c.peek(), '(')) depth++;
            if (isOp(c.peek(), ')')) depth--;
            c.i++;
          }
          const expr = translate({ sql: env.sql, tokens: c.tokens, catalog: env.session.core.catalog, session: env.session.context, binds: env.binds, streamSql: () => '' }, start, c.i).sql;
          col.default = env.sql.slice(c.tokens[start]!.pos, c.tokens[c.i - 1]!.pos + c.tokens[c.i - 1]!.raw.length);
          def += ` DEFAULT ${col.type === 'TIMESTAMP_TZ' ? `SF_TZ_OF(${expr})` : expr}`; // a TZ value (tz-values.ts)
        } else if (c.accept('COMMENT')) c.string();
        else if (c.accept('PRIMARY', 'KEY') || c.accept('UNIQUE')) continue;
        else throw c.error();
      }
      c.acceptOp(',');
      columns.push(col);
      defs.push(def);
    }
    const props = c.properties(['AS']);
    obj.columns = columns;
    applyTableProps(obj, props);
    await conn.run(`CREATE TABLE ${duckName(obj)} (${defs.join(', ')})`);
  } else {
    const props = c.properties(['AS']);
    applyTableProps(obj, props);
    c.expect('AS');
    const tokens = c.tokens.slice(c.i);
    const ctx = { sql: env.sql, tokens, catalog: env.session.core.catalog, session: env.session.context, binds: env.binds, streamSql: (s: SchemaObject) => streamDiffSql(env.session.core.catalog, s) };
    const translated = aliasSelectList(ctx);
    env.session.requireWarehouse();
    // CTAS is a DML transaction for streams (reference §1.5): it advances the streams it reads.
    await env.session.dml('DDL', `CREATE TABLE ${duckName(obj)} AS ${translated.sql}`, translated.streams);
    const reader = await conn.runAndReadAll(`SELECT * FROM ${duckName(obj)} LIMIT 0`);
    obj.columns = resultColumns(reader, translated.objects);
  }
  register(env, obj);
  await startTracking(env.session.conn, env.session.core, [obj]);
  return statusResult('DDL', `Table ${obj.name} successfully created.`);
}

function applyTableProps(obj: SchemaObject, props: Record<string, string>): void {
  obj.props = props;
  obj.changeTracking = props.CHANGE_TRACKING === 'TRUE';
  obj.comment = props.COMMENT ?? null;
}

async function createView(env: StatementEnv, flags: CreateFlags): Promise<EngineResult> {
  const c = env.cursor;
  const parts = c.name();
  const skip = await checkExisting(env, 'VIEW', parts, flags);
  if (skip) return skip;
  const obj = newObject(env, 'VIEW', parts);
  let columnList = '';
  const props: Record<string, string> = {};
  while (!c.accept('AS')) {
    if (c.atEnd()) throw c.error();
    if (c.accept('COPY', 'GRANTS')) continue;
    if (isOp(c.peek(), '(')) {
      const names: string[] = [];
      c.i++;
      while (!c.acceptOp(')')) { names.push(quoteIdent(c.ident())); while (!isOp(c.peek(), ',') && !isOp(c.peek(), ')')) c.i++; c.acceptOp(','); }
      columnList = ` (${names.join(', ')})`;
      continue;
    }
    Object.assign(props, c.properties(['AS', 'COPY']));
  }
  const selectSql = c.restText();
  const tokens = c.tokens.slice(c.i);
  // Unqualified names in a view body resolve in the view's own database and schema.
  const context = { ...env.session.context, database: obj.database, schema: obj.schema };
  const translated = aliasSelectList({ sql: env.sql, tokens, catalog: env.session.core.catalog, session: context, binds: env.binds, streamSql: (s) => streamDiffSql(env.session.core.catalog, s) });
  await env.session.conn.run(`CREATE VIEW ${duckName(obj)}${columnList} AS ${translated.sql}`);
  const reader = await env.session.conn.runAndReadAll(`SELECT * FROM ${duckName(obj)} LIMIT 0`);
  obj.columns = resultColumns(reader, translated.objects);
  obj.text = env.sql.trim();
  obj.view = { duckSql: translated.sql, isSecure: flags.modifiers.includes('SECURE'), selectSql };
  obj.props = props;
  obj.comment = props.COMMENT ?? null;
  obj.changeTracking = props.CHANGE_TRACKING === 'TRUE';
  if (obj.changeTracking) await enableChangeTracking(env, [obj, ...baseTablesOfView(env, obj)]);
  register(env, obj);
  return statusResult('DDL', `View ${obj.name} successfully created.`);
}

function baseTablesOfView(env: StatementEnv, view: SchemaObject): SchemaObject[] {
  return baseTablesOf(env.session.core.catalog, view);
}

/**
 * Enables change tracking; only the owner role may (reference §1.2). All objects are checked before any is
 * changed, so a refusal changes nothing.
 */
export async function enableChangeTracking(env: StatementEnv, objects: SchemaObject[]): Promise<void> {
  const { authz } = env.session.core;
  for (const o of objects) {
    if (!o.changeTracking && !authz.owns(env.session.context.role, o.owner)) throw changeTrackingNotEnabled(`${o.database}.${o.schema}.${o.name}`);
  }
  for (const o of objects) o.changeTracking = true;
  await startTracking(env.session.conn, env.session.core, objects);
}

async function createStream(env: StatementEnv, flags: CreateFlags): Promise<EngineResult> {
  const c = env.cursor;
  const { catalog } = env.session.core;
  const parts = c.name();
  c.accept('COPY', 'GRANTS');
  c.expect('ON');
  const sourceKind = c.accept('TABLE') ? 'TABLE' : (c.expect('VIEW'), 'VIEW');
  const source = resolveObject(catalog, c.name(), env.session.context, [sourceKind]);
  let atStream: SchemaObject | undefined;
  if (c.accept('AT') || c.accept('BEFORE')) {
    c.expectOp('(');
    c.expect('STREAM');
    c.expectOp('=>');
    const name = c.string();
    atStream = resolveObject(catalog, name.split('.').map((p) => p.trim().toUpperCase()), env.session.context, ['STREAM']);
    c.expectOp(')');
  }
  const props = c.properties();
  if (source.kind === 'VIEW') checkViewStreamable(catalog, source);
  const tracked = source.kind === 'VIEW' ? [source, ...baseTablesOfView(env, source)] : [source];
  // Checked before anything changes: a refused stream leaves the catalog (and an OR REPLACE target) as it was.
  await enableChangeTracking(env, tracked);
  const obj = newObject(env, 'STREAM', parts, { columns: source.columns.map((col) => ({ ...col })), props, comment: props.COMMENT ?? null });
  const snapshotTable = snapshotTableFor(obj.id);
  // AT(STREAM => 'x') keeps x's offset: copy its snapshot before OR REPLACE drops x.
  if (atStream) await env.session.conn.run(`CREATE OR REPLACE TABLE ${snapshotTable} AS SELECT * FROM ${atStream.stream!.snapshotTable}`);
  const skip = await checkExisting(env, 'STREAM', parts, flags);
  if (skip) {
    await env.session.conn.run(`DROP TABLE IF EXISTS ${snapshotTable}`);
    return skip;
  }
  obj.stream = {
    sourceId: source.id,
    sourceKind: source.kind === 'VIEW' ? 'View' : 'Table',
    sourceName: display([source.database, source.schema, source.name]),
    baseTables: tracked.filter((o) => o.kind === 'TABLE').map((o) => display([o.database, o.schema, o.name])),
    showInitialRows: props.SHOW_INITIAL_ROWS === 'TRUE',
    appendOnly: props.APPEND_ONLY === 'TRUE' || props.INSERT_ONLY === 'TRUE',
    snapshotTable,
    lastConsumedOn: new Date(),
    stale: false, offsetTick: atStream?.stream!.offsetTick,
  };
  if (!atStream) await createSnapshot(env.session.conn, catalog, obj);
  register(env, obj);
  return statusResult('DDL', `Stream ${obj.name} successfully created.`);
}

export { duckSchema, qualifySchema };
