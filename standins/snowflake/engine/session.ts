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
import { fromDuckDb, noActiveWarehouse, SnowflakeSqlError, syntaxError } from './errors.js';
import { SESSION_MACROS } from './functions.js';
import { isOp, isWord, splitStatements, tokenize, type StatementText, type Token } from './lexer.js';
import { alterSession, DEFAULT_TIMEZONE } from './session-parameters.js';
import type { Cursor } from './cursor.js';
import { parseNameString, resolveObject } from './names.js';
import { toEngineResult } from './results.js';
import { advanceOffset, rememberAppended, streamDiffSql, streamHasData } from './streams.js';
import { translate } from './translate.js';
import { aliasSelectList } from './select-names.js';
import { runStatement } from './statements.js';
import { tableLocksOf } from './table-locks.js';
import { objectReferenceReplacements } from './object-references.js';
import { checkIdentifierCase } from './identifier-case.js';
import { mergeActions, mergeCounts, type MergeAction } from './merge-counts.js';

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
  /** Table locks held until the explicit transaction ends (table-locks.ts). */
  private readonly heldLocks = new Map<SchemaObject, () => void>();

  /** Parameters set with ALTER SESSION (session-parameters.ts). */
  readonly parameters = new Map<string, string | number | boolean>();

  constructor(readonly core: EngineCore, readonly conn: DuckDBConnection, readonly context: SessionContext) {}

  static async open(core: EngineCore, context: SessionContext): Promise<Session> {
    const conn = await core.instance.connect();
    // TIMESTAMP_LTZ values are read and computed in the session TIMEZONE (default America/Los_Angeles).
    await conn.run(`SET TimeZone = '${DEFAULT_TIMEZONE}'`);
    for (const macro of SESSION_MACROS) await conn.run(macro);
    return new Session(core, conn, { ...context });
  }

  async execute(sqlText: string, binds: EngineBind[]): Promise<EngineResult> {
    try {
      const arrays = binds.filter((b) => Array.isArray(b.value));
      if (arrays.length === 0) return await runStatement(this, sqlText, binds);
      return await this.executeArrayBinds(sqlText, binds);
    } catch (err) {
      throw fromDuckDb(err, sqlText);
    }
  }

  /** Multi-row binds: the statement runs once per row, atomically; rowsAffected is the sum. */
  private async executeArrayBinds(sqlText: string, binds: EngineBind[]): Promise<EngineResult> {
    const rows = Math.max(...binds.map((b) => (Array.isArray(b.value) ? b.value.length : 1)));
    const own = !this.inTransaction;
    if (own) await this.begin();
    let total = 0;
    let last: EngineResult | undefined;
    try {
      for (let r = 0; r < rows; r++) {
        const rowBinds = binds.map((b) => ({ type: b.type, value: Array.isArray(b.value) ? (b.value[r] ?? null) : b.value }));
        last = await runStatement(this, sqlText, rowBinds);
        total += last.rowsAffected ?? 0;
      }
      if (own) await this.commit();
    } catch (err) {
      if (own) await this.rollback();
      throw err;
    }
    return { ...last!, rowsAffected: total };
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
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      this.inTransaction = false;
      this.pendingStreams.clear();
      this.releaseLocks();
    }
  }

  async rollback(): Promise<void> {
    if (!this.inTransaction) return;
    this.inTransaction = false;
    this.pendingStreams.clear();
    this.releaseLocks();
    await this.conn.run('ROLLBACK');
  }

  /** SELECT / WITH / INSERT / UPDATE / DELETE / MERGE. */
  async query(sql: string, tokens: Token[], binds: EngineBind[]): Promise<EngineResult> {
    const first = tokens[0]!.value;
    const kind: StatementKind = DML[first] ?? 'SELECT';
    const replacements = await this.streamHasDataReplacements(sql, tokens);
    for (const [at, span] of objectReferenceReplacements(this.core.catalog, this.core.authz, this.context, sql, tokens)) replacements.set(at, span);
    for (const [at, span] of (await this.core.hooks.queryReplacements?.(this, sql, tokens)) ?? []) replacements.set(at, span);
    const ctx = { sql, tokens, catalog: this.core.catalog, session: this.context, binds, replacements, streamSql: (s: SchemaObject) => streamDiffSql(this.core.catalog, s) };
    const translated = kind === 'SELECT' ? aliasSelectList(ctx) : translate(ctx);
    checkIdentifierCase(sql, tokens, translated.objects);
    this.core.hooks.authorizeQuery?.(this, kind, translated.objects);
    if ((translated.objects.length > 0 || kind !== 'SELECT') && !this.context.warehouse) throw noActiveWarehouse();
    if (kind === 'SELECT') {
      const reader = await this.conn.runAndReadAll(translated.sql);
      return toEngineResult('SELECT', reader, translated.objects);
    }
    const target = kind === 'INSERT' ? undefined : translated.objects[0];
    const run = async () => {
      // APPEND_ONLY streams keep returning the rows this statement may remove (streams.ts, appendedTableFor).
      if (target?.kind === 'TABLE') await rememberAppended(this.conn, this.core.catalog, target);
      return kind === 'MERGE' ? this.dml(kind, `${translated.sql} RETURNING merge_action`, translated.streams, mergeActions(tokens)) : this.dml(kind, translated.sql, translated.streams);
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

  /** SYSTEM$STREAM_HAS_DATA('name') is evaluated before the statement and replaced by TRUE/FALSE. */
  private async streamHasDataReplacements(sql: string, tokens: Token[]): Promise<Map<number, [number, string]>> {
    const map = new Map<number, [number, string]>();
    for (let i = 0; i < tokens.length; i++) {
      if (!isWord(tokens[i], 'SYSTEM$STREAM_HAS_DATA')) continue;
      const arg = tokens[i + 2];
      if (!isOp(tokens[i + 1], '(') || !arg || arg.type !== 'string' || !isOp(tokens[i + 3], ')')) throw syntaxError(sql, tokens[i]!.pos);
      const stream = resolveObject(this.core.catalog, parseNameString(arg.value), this.context, ['STREAM']);
      map.set(i, [i + 4, (await streamHasData(this.conn, this.core.catalog, stream)) ? 'TRUE' : 'FALSE']);
    }
    return map;
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
