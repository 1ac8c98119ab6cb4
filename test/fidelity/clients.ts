/**
 * The fidelity suite's two independent clients: the product's driver (snowflake-sdk 3.x) and a 1.x driver
 * installed under the npm alias `snowflake-sdk-v1` (1.15.0, the newest 1.x; it runs on Node 20). Neither was
 * written against the stand-in, so a protocol shortcut one of them tolerates shows up as a difference.
 */
import { createRequire } from 'node:module';
import type { SnowflakeStandin } from '../../standins/snowflake/index.js';

const require = createRequire(import.meta.url);

export type DriverName = 'snowflake-sdk 3.x' | 'snowflake-sdk 1.x';

/** The part of the driver API both majors share (1.x has no bundled types; 3.x's are not needed here). */
interface DriverModule {
  configure(options: Record<string, unknown>): void;
  createConnection(options: Record<string, unknown>): DriverConnection;
}
interface DriverConnection {
  connect(cb: (err: unknown, conn: DriverConnection) => void): void;
  execute(options: Record<string, unknown>): void;
  destroy(cb: (err: unknown) => void): void;
}
interface DriverStatement {
  getColumns(): Array<{ getName(): string; getType(): string; getScale(): number; getPrecision(): number; isNullable(): boolean }>;
  getNumUpdatedRows(): number | undefined;
  getStatementId?(): string;
  getQueryId?(): string;
}

export interface ProbeResult {
  columns: Array<{ name: string; type: string; nullable: boolean; scale?: number }>;
  /** Every cell fetched as the string Snowflake renders (fetchAsString), so both drivers are comparable. */
  rows: Array<Record<string, string | null>>;
  updated: number | undefined;
  queryId: string;
}

export interface ProbeError {
  code: string;
  sqlState: string | undefined;
  message: string;
}

export class FidelityClient {
  private constructor(readonly driver: DriverName, private readonly conn: DriverConnection) {}

  static async open(driver: DriverName, standin: SnowflakeStandin, extra: Record<string, unknown> = {}): Promise<FidelityClient> {
    const mod = load(driver);
    const conn = mod.createConnection({
      account: standin.account,
      accessUrl: standin.accessUrl,
      username: standin.defaultUser.user,
      password: standin.defaultUser.password,
      sfRetryMaxLoginRetries: 0,
      timeout: 10_000,
      ...extra,
    });
    await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
    return new FidelityClient(driver, conn);
  }

  /** Runs one statement; cells come back as strings unless `native` (then the driver's own JS values). */
  run(sqlText: string, options: { binds?: unknown[]; native?: boolean; parameters?: Record<string, unknown> } = {}): Promise<ProbeResult> {
    return new Promise((resolve, reject) =>
      this.conn.execute({
        sqlText,
        binds: options.binds,
        parameters: options.parameters,
        ...(options.native ? {} : { fetchAsString: ['String', 'Boolean', 'Number', 'Date', 'JSON', 'Buffer'] }),
        complete: (err: unknown, statement: DriverStatement, rows: Array<Record<string, unknown>> | undefined) => {
          if (err) return reject(toProbeError(err));
          resolve({
            columns: statement.getColumns().map((c) => ({ name: c.getName(), type: c.getType(), nullable: c.isNullable(), scale: c.getScale() })),
            rows: (rows ?? []) as Array<Record<string, string | null>>,
            updated: statement.getNumUpdatedRows(),
            queryId: statement.getQueryId?.() ?? statement.getStatementId?.() ?? '',
          });
        },
      }),
    );
  }

  /** Runs a multi-statement request and collects every statement's rows (hasNext/NextResult). */
  runAll(sqlText: string, options: { binds?: unknown[]; parameters?: Record<string, unknown> } = {}): Promise<Array<Array<Record<string, string | null>>>> {
    const all: Array<Array<Record<string, string | null>>> = [];
    return new Promise((resolve, reject) =>
      this.conn.execute({
        sqlText,
        binds: options.binds,
        parameters: options.parameters,
        fetchAsString: ['String', 'Boolean', 'Number', 'Date', 'JSON', 'Buffer'],
        complete: (err: unknown, statement: DriverStatement & { hasNext?(): boolean; NextResult?(): void }, rows: Array<Record<string, string | null>> | undefined) => {
          if (err) return reject(toProbeError(err));
          all.push(rows ?? []);
          if (statement.hasNext?.()) statement.NextResult!();
          else resolve(all);
        },
      }),
    );
  }

  /** Runs a statement that must fail; resolves to its error (rejects if it succeeded). */
  async fail(sqlText: string, options: { binds?: unknown[]; parameters?: Record<string, unknown> } = {}): Promise<ProbeError> {
    try {
      await this.run(sqlText, options);
    } catch (err) {
      return err as ProbeError;
    }
    throw new Error(`${this.driver}: expected an error from: ${sqlText}`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.conn.destroy(() => resolve()));
  }
}

function toProbeError(err: unknown): ProbeError {
  const e = err as { code?: unknown; sqlState?: unknown; message?: unknown };
  return { code: String(e.code ?? ''), sqlState: typeof e.sqlState === 'string' ? e.sqlState : undefined, message: String(e.message ?? err) };
}

const modules = new Map<DriverName, DriverModule>();
function load(driver: DriverName): DriverModule {
  let mod = modules.get(driver);
  if (!mod) {
    mod = require(driver === 'snowflake-sdk 3.x' ? 'snowflake-sdk' : 'snowflake-sdk-v1') as DriverModule;
    mod.configure({ logLevel: 'OFF' });
    modules.set(driver, mod);
  }
  return mod;
}

export const DRIVERS: DriverName[] = ['snowflake-sdk 3.x', 'snowflake-sdk 1.x'];
