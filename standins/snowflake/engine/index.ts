/**
 * The Snowflake stand-in's SQL engine: Snowflake SQL on DuckDB, with a catalog and stream semantics.
 * The protocol layer (server) only uses the Engine contract; `SnowflakeEngine.core` is for the
 * account-profiles/tasks work (catalog, pluggable authorizer, EXECUTE TASK hook).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { Engine, EngineSession, SessionContext } from '../engine-types.js';
import { defaultAuthorizer } from './authz.js';
import { Catalog } from './catalog.js';
import { SnowflakeSqlError } from './errors.js';
import { Session, type EngineCore } from './session.js';
import { INTERNAL_SCHEMA } from './streams.js';
import { SEED_DEFAULTS, seedCustomers, seedEmpty } from './seed.js';

export { SEED_DEFAULTS, DEMO_OBJECTS, seedCustomers } from './seed.js';
export type { EngineCore, EngineHooks } from './session.js';
export type { Authorizer } from './authz.js';
export { Catalog } from './catalog.js';
export { Session } from './session.js';

export interface EngineOptions {
  seed?: 'demo' | 'empty';
}

export class SnowflakeEngine implements Engine {
  constructor(readonly core: EngineCore) {}

  async openSession(context: SessionContext): Promise<EngineSession> {
    const { catalog } = this.core;
    if (!catalog.accountObjects('USER').has(context.user)) {
      throw new SnowflakeSqlError('390100', '08004', 'Incorrect username or password was specified.');
    }
    if (!catalog.accountObjects('ROLE').has(context.role) || this.core.authz.userHasRole?.(context.user, context.role) === false) {
      // Login with a role the user does not have (not in the reference; code 390189 as Snowflake sends it).
      throw new SnowflakeSqlError('390189', '08004', `Role '${context.role}' specified in the connect string does not exist or not authorized. Contact your local system administrator, or attempt to login with another role, e.g. PUBLIC.`);
    }
    // Like Snowflake, an unknown database/schema/warehouse at login leaves that part of the context unset.
    const database = context.database && catalog.databases.has(context.database) ? context.database : null;
    const schema = database && context.schema && catalog.schema(database, context.schema) ? context.schema : database && catalog.schema(database, 'PUBLIC') && !context.schema ? 'PUBLIC' : null;
    const warehouse = context.warehouse && catalog.accountObjects('WAREHOUSE').has(context.warehouse) ? context.warehouse : null;
    return Session.open(this.core, { ...context, database, schema, warehouse });
  }

  async close(): Promise<void> {
    this.core.instance.closeSync();
  }
}

export async function createEngine(options: EngineOptions = {}): Promise<SnowflakeEngine> {
  const instance = await DuckDBInstance.create(':memory:');
  const catalog = new Catalog();
  const core: EngineCore = { instance, catalog, authz: defaultAuthorizer(catalog), hooks: {} };
  const setup = await instance.connect();
  await setup.run(`CREATE SCHEMA ${INTERNAL_SCHEMA}`);
  setup.closeSync();
  const admin = await Session.open(core, { user: SEED_DEFAULTS.user, role: SEED_DEFAULTS.role, warehouse: null, database: null, schema: null });
  await seedEmpty(admin);
  if ((options.seed ?? 'demo') === 'demo') await seedCustomers(admin);
  await admin.close();
  return new SnowflakeEngine(core);
}
