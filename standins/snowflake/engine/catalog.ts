/**
 * The engine's catalog: every Snowflake object with its owner role and SHOW properties. Table and view
 * rows live in DuckDB (one DuckDB schema per Snowflake DB.SCHEMA, see duckName); everything else lives
 * only here. Account-level objects are keyed by name, schema-level ones by `DB.SCHEMA.NAME`.
 */
import type { SfColumn } from './types.js';

export type SchemaObjectKind = 'TABLE' | 'VIEW' | 'STREAM' | 'TASK' | 'NETWORK RULE' | 'SECRET' | 'IMAGE REPOSITORY';
export type AccountObjectKind = 'DATABASE' | 'WAREHOUSE' | 'COMPUTE POOL' | 'INTEGRATION' | 'ROLE' | 'USER';

interface Owned {
  name: string;
  owner: string;
  createdOn: Date;
  comment: string | null;
  /** Statement properties as written (upper-cased keys), shown by SHOW/DESCRIBE. */
  props: Record<string, string>;
}

export interface SchemaObject extends Owned {
  id: number;
  kind: SchemaObjectKind;
  database: string;
  schema: string;
  /** TABLE/VIEW: columns with their Snowflake types. STREAM: the source's columns. */
  columns: SfColumn[];
  changeTracking: boolean;
  /** VIEW: original text and the translated DuckDB SELECT; TASK: definition. */
  text: string;
  view?: { duckSql: string; isSecure: boolean; selectSql: string };
  stream?: StreamState;
  task?: { state: 'started' | 'suspended'; schedule: string | null; condition: string | null; warehouse: string | null; definition: string; lastSuspendedOn: Date | null;
    /** SHOW TASKS last_suspended_reason (https://docs.snowflake.com/en/release-notes/bcr-bundles/2023_08/bcr-1385-1414). */
    lastSuspendedReason?: 'USER_SUSPENDED' | 'SUSPENDED_DUE_TO_ERRORS' | null };
}

export interface StreamState {
  sourceId: number;
  sourceKind: 'Table' | 'View';
  sourceName: string;
  /** Fully qualified base tables, as SHOW STREAMS prints them. */
  baseTables: string[];
  showInitialRows: boolean;
  appendOnly: boolean;
  /** DuckDB table holding the source rows (with __SF_RID) as of the offset. */
  snapshotTable: string;
  lastConsumedOn: Date;
  stale: boolean;
  /** When the offset was last set (query-log.ts ticks): append-only reads look at table versions after it. */
  offsetTick?: number;
}

export interface SchemaEntry extends Owned {
  database: string;
  objects: Map<string, SchemaObject>;
}

export interface DatabaseEntry extends Owned {
  schemas: Map<string, SchemaEntry>;
}

export interface AccountObject extends Owned {
  kind: AccountObjectKind;
}

export interface Grant {
  privilege: string;
  grantedOn: string;
  name: string;
  granteeKind: 'ROLE' | 'USER';
  grantee: string;
  grantOption: boolean;
  grantedBy: string;
  createdOn: Date;
}

export class Catalog {
  readonly databases = new Map<string, DatabaseEntry>();
  readonly account = new Map<AccountObjectKind, Map<string, AccountObject>>();
  readonly grants: Grant[] = [];
  private nextId = 1;
  account_name = 'SANDBOX';
  region = 'AWS_US_WEST_2';
  /** Host part of image repository URLs (reference §2.4); the account-profiles issue points it at a local registry. */
  registryHost = 'sandbox-org-sandbox.registry.local';

  newId(): number {
    return this.nextId++;
  }

  accountObjects(kind: AccountObjectKind): Map<string, AccountObject> {
    let map = this.account.get(kind);
    if (!map) this.account.set(kind, (map = new Map()));
    return map;
  }

  schema(database: string, schema: string): SchemaEntry | undefined {
    return this.databases.get(database)?.schemas.get(schema);
  }

  object(database: string, schema: string, name: string): SchemaObject | undefined {
    return this.schema(database, schema)?.objects.get(name);
  }

  objectById(id: number): SchemaObject | undefined {
    for (const db of this.databases.values()) for (const s of db.schemas.values()) for (const o of s.objects.values()) if (o.id === id) return o;
    return undefined;
  }

  allObjects(): SchemaObject[] {
    const out: SchemaObject[] = [];
    for (const db of this.databases.values()) for (const s of db.schemas.values()) out.push(...s.objects.values());
    return out;
  }

  /** Streams whose source (or a base table of the source view) is the given object. */
  streamsDependingOn(obj: SchemaObject): SchemaObject[] {
    const fq = qualifiedName(obj);
    return this.allObjects().filter((o) => o.stream && (o.stream.sourceId === obj.id || o.stream.baseTables.includes(fq)));
  }
}

export function qualifiedName(o: { database: string; schema: string; name: string }): string {
  return `${o.database}.${o.schema}.${o.name}`;
}

/** DuckDB schema that holds a Snowflake DB.SCHEMA (DuckDB allows writes to only one attached database per transaction). */
export function duckSchema(database: string, schema: string): string {
  return quoteIdent(`${database}/${schema}`);
}

export function duckName(o: { database: string; schema: string; name: string }): string {
  return `${duckSchema(o.database, o.schema)}.${quoteIdent(o.name)}`;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Snowflake prints identifiers that are not plain upper-case words quoted in qualified names. */
export function displayIdent(name: string): string {
  return /^[A-Z_][A-Z0-9_$]*$/.test(name) ? name : quoteIdent(name);
}
