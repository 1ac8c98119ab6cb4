/**
 * One Snowflake session = one DuckDB connection (so transactions are per session). Dispatches statements,
 * runs queries/DML, and implements the stream offset rules of reference §1.5: a DML statement that reads
 * a stream advances it when its transaction commits (autocommit: at once); SELECT never does; ROLLBACK
 * leaves it; within a transaction every read sees the offset as of the transaction's start.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { EngineBind, EngineResult, EngineSession, SessionContext, StatementKind } from '../engine-types.js';
import type { Authorizer } from './authz.js';
import { Catalog, sqlString, type SchemaObject } from './catalog.js';
import { fromDuckDb, noActiveWarehouse, SnowflakeSqlError } from './errors.js';
import { SESSION_MACROS } from './functions.js';
import { TZ_MACROS } from './tz-values.js';
import { splitStatements, type StatementText, type Token } from './lexer.js';
import { alterSession, DEFAULT_TIMEZONE } from './session-parameters.js';
import type { Cursor } from './cursor.js';
import { toEngineResult } from './results.js';
import { advanceOffset, streamDiffSql } from './streams.js';
import { translate } from './translate.js';
import { aliasSelectList } from './select-names.js';
import { runStatement } from './statements.js';
import { executeArrayBinds } from './array-binds.js';
import { tableLocksOf } from './table-locks.js';
import { checkIdentifierCase } from './identifier-case.js';
import { mergeActions, mergeCounts, type MergeAction } from './merge-counts.js';
import { queryReplacements } from './query-replacements.js';
import { beforeChange, recordVersion } from './change-versions.js';
import { logQuery, nextTick } from './query-log.js';
import { formatsInEffect, toVarcharMacro } from './output-formats.js';

export interface EngineHooks {
  /** EXECUTE TASK (the tasks/jobs issue plugs its runner in here). */
  executeTask?: (task: SchemaObject, session: Session) => Promise<EngineResult>;
  /**
   * Runs before every statement (privilege guard, SPCS statements): returns a result to answer the statement
   * itself, undefined to let the engine run it, or throws to refuse it.
   */
  statement?: (session: Session, sql: string, tokens: Token[], binds: EngineBind[]) => Promise<EngineResult | undefined>;
  /** Extra token-span replacements for queries (table functions such as TASK_HISTORY, SYSTEM$ functions). */
  queryReplacements?: (session: Session, sql: string, tokens: Token[]) => Promise<Map<number, [number, string]>>;
  /** Privilege check of a query once its objects are known (for DML the first object is the target). */
  authorizeQuery?: (session: Session, kind: StatementKind, objects: SchemaObject[]) => void;
}

export interface EngineCore {
  instance: DuckDBInstance;
  catalog: Catalog;
  authz: Authorizer;
  hooks: EngineHooks;
}

const DML: Record<string, StatementKind> = { INSERT: 'INSERT', UPDATE: 'UPDATE', DELETE: 'DELETE', MERGE: 'MERGE' };

export class Session implements EngineSession {
  inTransaction = false;
  /** Streams read by a DML statement in the open explicit transaction. */
  readonly pendingStreams = new Set<SchemaObject>();
  /** Change-tracked tables changed in the open explicit transaction: a version is kept at commit. */
  readonly pendingVersions = new Set<SchemaObject>();
  /** Table locks held until the explicit transaction ends (table-locks.ts). */
  private readonly heldLocks = new Map<SchemaObject, () => void>();

  /** Query ids of this session's statements, oldest first (LAST_QUERY_ID). */
  readonly queryIds: string[] = [];

  /** Parameters set with ALTER SESSION (session-parameters.ts). */
  readonly parameters = new Map<string, string | number | boolean>();

  constructor(readonly core: EngineCore, readonly conn: DuckDBConnection, readonly context: SessionContext) {}

  static async open(core: EngineCore, context: SessionContext): Promise<Session> {
    const conn = await core.instance.connect();
    // TIMESTAMP_LTZ values are read and computed in the session TIMEZONE (default America/Los_Angeles).
    await conn.run(`SET TimeZone = '${DEFAULT_TIMEZONE}'`);
    // TIMESTAMP_TZ macros first: SF_TO_VARCHAR uses them, TO_VARCHAR (a session macro) uses SF_TO_VARCHAR.
    for (const macro of TZ_MACROS) await conn.run(macro);
    await conn.run(toVarcharMacro(formatsInEffect(() => undefined)));
    for (const macro of SESSION_MACROS) await conn.run(macro);
    return new Session(core, conn, { ...context });
  }

  async execute(sqlText: string, binds: EngineBind[], options: { queryId?: string; parameters?: Record<string, unknown> } = {}): Promise<EngineResult> {
    const { queryId } = options;
    await this.applyOutputFormats(options.parameters);
    const startTick = nextTick(this.core);
    let result: EngineResult | undefined;
    try {
      const arrays = binds.filter((b) => Array.isArray(b.value));
      result = arrays.length === 0 ? await runStatement(this, sqlText, binds) : await executeArrayBinds(this, sqlText, binds);
      return result;
    } catch (err) {
      throw fromDuckDb(err, sqlText);
    } finally {
      if (queryId) {
        logQuery(this.core, { id: queryId, user: this.context.user, result, startTick, endTick: nextTick(this.core), endedAt: new Date() });
        this.queryIds.push(queryId);
      }
    }
  }

  private formatsKey = '';

  /** Re-creates SF_TO_VARCHAR when the *_OUTPUT_FORMAT parameters in effect change (output-formats.ts). */
  private async applyOutputFormats(request?: Record<string, unknown>): Promise<void> {
    const formats = formatsInEffect((name) => request?.[name] ?? this.parameters.get(name));
    const key = JSON.stringify(formats);
    if (key === this.formatsKey) return;
    await this.conn.run(toVarcharMacro(formats));
    this.formatsKey = key;
  }

  splitStatements(sqlText: string): StatementText[] {
    return splitStatements(sqlText);
  }

  alterSession(cursor: Cursor): Promise<EngineResult> {
    return alterSession(cursor, this.parameters, async (name) => {
      if (name === 'TIMEZONE') await this.conn.run(`SET TimeZone = ${sqlString(String(this.parameters.get('TIMEZONE') ?? DEFAULT_TIMEZONE))}`);
    });
  }

  async close(): Promise<void> {
    if (this.inTransaction) await this.rollback();
    this.conn.closeSync();
  }

  async begin(): Promise<void> {
    if (this.inTransaction) return; // Snowflake ignores BEGIN inside an open transaction.
    await this.conn.run('BEGIN TRANSACTION');
    this.inTransaction = true;
  }

  async commit(): Promise<void> {
    if (!this.inTransaction) return;
    try {
      for (const stream of this.pendingStreams) await advanceOffset(this.conn, this.core.catalog, stream);
      await this.conn.run('COMMIT');
      for (const table of this.pendingVersions) await recordVersion(this.conn, this.core, table);
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      this.inTransaction = false;
      this.pendingStreams.clear();
      this.pendingVersions.clear();
      this.releaseLocks();
    }
  }

  async rollback(): Promise<void> {
    if (!this.inTransaction) return;
    this.inTransaction = false;
    this.pendingStreams.clear();
    this.pendingVersions.clear();
    this.releaseLocks();
    await this.conn.run('ROLLBACK');
  }

  /** SELECT / WITH / INSERT / UPDATE / DELETE / MERGE. */
  async query(sql: string, tokens: Token[], binds: EngineBind[]): Promise<EngineResult> {
    const first = tokens[0]!.value;
    const kind: StatementKind = DML[first] ?? 'SELECT';
    const replacements = await queryReplacements(this, sql, tokens);
    const ctx = { sql, tokens, catalog: this.core.catalog, session: this.context, binds, replacements, streamSql: (s: SchemaObject) => streamDiffSql(this.core.catalog, s) };
    const translated = kind === 'SELECT' ? aliasSelectList(ctx) : translate(ctx);
    checkIdentifierCase(sql, tokens, translated.objects);
    this.core.hooks.authorizeQuery?.(this, kind, translated.objects);
    if ((translated.objects.length > 0 || kind !== 'SELECT') && !this.context.warehouse) throw noActiveWarehouse();
    if (kind === 'SELECT') {
      const reader = await this.conn.run(translated.sql);
      return toEngineResult('SELECT', reader, translated.objects);
    }
    const target = kind === 'INSERT' ? undefined : translated.objects[0];
    // CHANGES (change-versions.ts): a committed change of a change-tracked table keeps a version of its rows.
    const tracked = translated.objects[0]?.kind === 'TABLE' && translated.objects[0].changeTracking ? translated.objects[0] : undefined;
    if (tracked && !this.inTransaction) await beforeChange(this.conn, this.core, tracked);
    const run = async () => {
      const result = kind === 'MERGE' ? await this.dml(kind, `${translated.sql} RETURNING merge_action`, translated.streams, mergeActions(tokens)) : await this.dml(kind, translated.sql, translated.streams);
      if (tracked && this.inTransaction) this.pendingVersions.add(tracked);
      else if (tracked) await recordVersion(this.conn, this.core, tracked);
      return result;
    };
    if (!target || this.heldLocks.has(target)) return run();
    const release = await tableLocksOf(this.core).acquire(target);
    if (this.inTransaction) {
      this.heldLocks.set(target, release);
      return run();
    }
    try {
      return await run();
    } finally {
      release();
    }
  }

  private releaseLocks(): void {
    for (const release of this.heldLocks.values()) release();
    this.heldLocks.clear();
  }

  /** Runs a DML statement; streams it read advance at commit. */
  async dml(kind: StatementKind, duckSql: string, streams: SchemaObject[], mergeClauses?: MergeAction[]): Promise<EngineResult> {
    const own = !this.inTransaction && streams.length > 0;
    if (own) await this.begin();
    try {
      let result: EngineResult;
      if (mergeClauses) {
        const actions = (await this.conn.runAndReadAll(duckSql)).getRows().map((row) => String(row[0]));
        result = mergeCounts(actions, mergeClauses);
      } else {
        result = { kind, columns: [], rows: [], rowsAffected: (await this.conn.run(duckSql)).rowsChanged };
      }
      for (const s of streams) this.pendingStreams.add(s);
      if (own) await this.commit();
      return result;
    } catch (err) {
      if (own) await this.rollback();
      throw err;
    }
  }

  /** A DDL statement commits the open transaction first, as Snowflake does. */
  async beforeDdl(): Promise<void> {
    if (this.inTransaction) await this.commit();
  }

  requireWarehouse(): void {
    if (!this.context.warehouse) throw noActiveWarehouse();
  }
}

export function statusResult(kind: StatementKind, message: string): EngineResult {
  return { kind, columns: [{ name: 'status', type: 'TEXT', length: 16777216, nullable: true }], rows: [[message]] };
}

export { SnowflakeSqlError };
