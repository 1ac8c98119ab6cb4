/**
 * Runs a probe set with both drivers against one stand-in: every probe states the documented Snowflake
 * behaviour (doc URL in the title) and fails when the stand-in differs, or when the two drivers disagree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeStandin, type SnowflakeStandin, type SnowflakeStandinOptions } from '../../standins/snowflake/index.js';
import { DRIVERS, FidelityClient, type DriverName, type ProbeError, type ProbeResult } from './clients.js';

export interface Probe {
  /** What Snowflake documents, ending with the doc URL (or "docs silent: stricter choice"). */
  title: string;
  /** Statements run first, each on its own (CREATE OR REPLACE so each driver starts from the same state). */
  setup?: string[];
  sql: string;
  binds?: unknown[];
  parameters?: Record<string, unknown>;
  /** Expected rows, every cell as the string Snowflake renders it (fetchAsString). */
  rows?: Array<Record<string, string | null>>;
  /** Expected column metadata (a subset of name/type/nullable/scale per column). */
  columns?: Array<Partial<ProbeResult['columns'][number]>>;
  /** Expected statement.getNumUpdatedRows(). */
  updated?: number;
  /** Expected failure; `message` must match, and the message must never name the engine underneath. */
  error?: { code: string; sqlState: string; message?: RegExp };
  /** Columns whose cells differ per run (creation times, ids): left out of the two drivers' comparison. */
  volatile?: string[];
  /** Extra checks on the result, run for both drivers. */
  check?: (result: ProbeResult, driver: DriverName) => void;
}

/** Words of the engine underneath that must never reach a client. */
export const ENGINE_LEAKS = /duckdb|Binder Error|Parser Error|Catalog Error|Conversion Error|Candidate|LINE \d+:|TIMESTAMPTZ|HUGEINT|\bBLOB\b|Invalid Input Error/i;

type Outcome = { result: ProbeResult } | { error: ProbeError };

async function runProbe(client: FidelityClient, probe: Probe): Promise<Outcome> {
  for (const statement of probe.setup ?? []) await client.run(statement);
  try {
    return { result: await client.run(probe.sql, { binds: probe.binds, parameters: probe.parameters }) };
  } catch (err) {
    return { error: err as ProbeError };
  }
}

function checkOutcome(probe: Probe, outcome: Outcome, driver: DriverName): void {
  if (probe.error) {
    expect('error' in outcome, `${driver}: expected error ${probe.error.code}, got rows ${JSON.stringify('result' in outcome && outcome.result.rows)}`).toBe(true);
    const error = (outcome as { error: ProbeError }).error;
    expect({ driver, code: error.code, sqlState: error.sqlState }).toEqual({ driver, code: probe.error.code, sqlState: probe.error.sqlState });
    if (probe.error.message) expect(error.message).toMatch(probe.error.message);
    expect(error.message).not.toMatch(ENGINE_LEAKS);
    return;
  }
  if ('error' in outcome) throw new Error(`${driver}: ${outcome.error.code} ${outcome.error.message}`);
  const { result } = outcome;
  if (probe.rows) expect(result.rows, driver).toEqual(probe.rows);
  if (probe.columns) expect(result.columns.map((c, k) => pick(c, probe.columns![k] ?? {})), driver).toEqual(probe.columns);
  if (probe.updated !== undefined) expect(result.updated, driver).toBe(probe.updated);
  probe.check?.(result, driver);
}

function pick<T extends object>(value: T, shape: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.keys(shape).map((k) => [k, value[k as keyof T]])) as Partial<T>;
}

/** What both drivers must agree on: everything but the query id. */
function comparable(outcome: Outcome, volatile: string[] = []): unknown {
  if ('error' in outcome) return { error: outcome.error };
  const { queryId: _queryId, ...rest } = outcome.result;
  return { ...rest, rows: rest.rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !volatile.includes(k)))) };
}

/** Declares one vitest `describe` that runs every probe with both drivers. */
export function probeSuite(name: string, probes: Probe[], options: SnowflakeStandinOptions = {}): void {
  describe(name, () => {
    let standin: SnowflakeStandin;
    const clients = new Map<DriverName, FidelityClient>();
    beforeAll(async () => {
      standin = await startSnowflakeStandin(options);
      for (const driver of DRIVERS) clients.set(driver, await FidelityClient.open(driver, standin));
    });
    afterAll(async () => {
      for (const client of clients.values()) await client.close();
      await standin?.close();
    });
    for (const probe of probes) {
      it(probe.title, async () => {
        const outcomes = new Map<DriverName, Outcome>();
        for (const driver of DRIVERS) outcomes.set(driver, await runProbe(clients.get(driver)!, probe));
        for (const [driver, outcome] of outcomes) checkOutcome(probe, outcome, driver);
        const [first, second] = DRIVERS.map((d) => comparable(outcomes.get(d)!, probe.volatile));
        expect(second, 'both drivers see the same result').toEqual(first);
      });
    }
  });
}
