/** Databases and schemas (each Snowflake DB.SCHEMA is one DuckDB schema), and dropping schema objects. */
import type { EngineResult } from '../engine-types.js';
import { duckName, duckSchema, type DatabaseEntry, type SchemaEntry, type SchemaObject } from './catalog.js';
import { alreadyExists, kindDoesNotExist } from './errors.js';
import { qualifySchema } from './names.js';
import { statusResult } from './session.js';
import type { StatementEnv } from './statements.js';
import type { CreateFlags } from './ddl-create.js';
import { dropSnapshot, markDependentsStale } from './streams.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Catalog } from './catalog.js';
import { cloneDatabase, cloneSchema } from './ddl-clone.js';

export async function addDatabase(conn: DuckDBConnection, catalog: Catalog, name: string, owner: string, comment: string | null = null): Promise<DatabaseEntry> {
  const db: DatabaseEntry = { name, owner, createdOn: new Date(), comment, props: {}, schemas: new Map() };
  catalog.databases.set(name, db);
  await addSchema(conn, catalog, name, 'PUBLIC', owner);
  return db;
}

export async function addSchema(conn: DuckDBConnection, catalog: Catalog, database: string, name: string, owner: string, comment: string | null = null): Promise<SchemaEntry> {
  const schema: SchemaEntry = { name, database, owner, createdOn: new Date(), comment, props: {}, objects: new Map() };
  await conn.run(`CREATE SCHEMA IF NOT EXISTS ${duckSchema(database, name)}`);
  catalog.databases.get(database)!.schemas.set(name, schema);
  return schema;
}

export async function createDatabase(env: StatementEnv, flags: CreateFlags): Promise<EngineResult> {
  const { catalog } = env.session.core;
  const name = env.cursor.ident();
  const clone = env.cursor.accept('CLONE');
  const props = clone ? {} : env.cursor.properties();
  if (catalog.databases.has(name)) {
    if (flags.ifNotExists) return statusResult('DDL', `${name} already exists, statement succeeded.`);
    if (!flags.orReplace) throw alreadyExists('DATABASE', name);
    await dropDatabase(env, name);
  }
  if (clone) return cloneDatabase(env, name);
  await addDatabase(env.session.conn, catalog, name, env.session.context.role, props.COMMENT ?? null);
  // Snowflake makes the new database (and its PUBLIC schema) current.
  env.session.context.database = name;
  env.session.context.schema = 'PUBLIC';
  return statusResult('DDL', `Database ${name} successfully created.`);
}

export async function createSchema(env: StatementEnv, flags: CreateFlags): Promise<EngineResult> {
  const { catalog } = env.session.core;
  const q = qualifySchema(env.cursor.name(2), env.session.context);
  const clone = env.cursor.accept('CLONE');
  const props = clone ? {} : env.cursor.properties();
  if (!catalog.databases.has(q.database)) throw kindDoesNotExist('DATABASE', q.database);
  if (catalog.schema(q.database, q.schema)) {
    if (flags.ifNotExists) return statusResult('DDL', `${q.schema} already exists, statement succeeded.`);
    if (!flags.orReplace) throw alreadyExists('SCHEMA', q.schema);
    await dropSchema(env, q.database, q.schema);
  }
  if (clone) {
    const result = await cloneSchema(env, q.database, q.schema);
    Object.assign(env.session.context, { database: q.database, schema: q.schema });
    return result;
  }
  await addSchema(env.session.conn, catalog, q.database, q.schema, env.session.context.role, props.COMMENT ?? null);
  env.session.context.database = q.database;
  env.session.context.schema = q.schema;
  return statusResult('DDL', `Schema ${q.schema} successfully created.`);
}

export async function dropSchemaObject(env: StatementEnv, obj: SchemaObject): Promise<void> {
  const { catalog } = env.session.core;
  const conn = env.session.conn;
  if (obj.kind === 'TABLE') await conn.run(`DROP TABLE IF EXISTS ${duckName(obj)}`);
  if (obj.kind === 'VIEW') await conn.run(`DROP VIEW IF EXISTS ${duckName(obj)}`);
  if (obj.kind === 'STREAM') await dropSnapshot(conn, obj);
  markDependentsStale(catalog, obj);
  catalog.schema(obj.database, obj.schema)?.objects.delete(obj.name);
}

export async function dropSchema(env: StatementEnv, database: string, schema: string): Promise<void> {
  const { catalog } = env.session.core;
  const entry = catalog.schema(database, schema);
  if (!entry) return;
  // Views and streams first: DuckDB refuses to drop a table a view still depends on only with CASCADE semantics.
  const order = [...entry.objects.values()].sort((a, b) => Number(a.kind === 'TABLE') - Number(b.kind === 'TABLE'));
  for (const obj of order) await dropSchemaObject(env, obj);
  await env.session.conn.run(`DROP SCHEMA IF EXISTS ${duckSchema(database, schema)} CASCADE`);
  catalog.databases.get(database)?.schemas.delete(schema);
  if (env.session.context.database === database && env.session.context.schema === schema) env.session.context.schema = null;
}

export async function dropDatabase(env: StatementEnv, name: string): Promise<void> {
  const db = env.session.core.catalog.databases.get(name);
  if (!db) return;
  for (const schema of [...db.schemas.keys()]) await dropSchema(env, name, schema);
  env.session.core.catalog.databases.delete(name);
  if (env.session.context.database === name) {
    env.session.context.database = null;
    env.session.context.schema = null;
  }
}
