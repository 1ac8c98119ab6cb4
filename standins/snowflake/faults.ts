/**
 * Test fault injection (not Snowflake behaviour to model, but failures a real account produces):
 *  - resultChunk: a large result's chunk download breaks once the reader is `afterRows` rows in. Real Snowflake
 *    serves chunks from cloud storage through pre-signed URLs (https://docs.snowflake.com/en/developer-guide/node-js/nodejs-driver-consume,
 *    "Streaming results"); a dropped connection is retried by the driver (lib/services/large_result_set.js: up
 *    to 10 times with backoff), a 404 (an expired or missing object) is not. `times` bounds how many downloads
 *    fail (default: every one from that row on, while the fault is set).
 *  - slowStatements: statements whose text matches run `ms` long on the warehouse, so that a statement timeout
 *    can be reached (statement-timeout.ts); the engine itself answers in microseconds.
 */
import type { ServerResponse } from 'node:http';
import { sendText } from './http-util.js';

export interface ResultChunkFault {
  afterRows: number;
  mode: 'drop' | 'not-found';
  times?: number;
}

export interface SlowStatement {
  /** Case-insensitive substring of the statement text (e.g. 'MERGE INTO' for the worker's capture). */
  match: string;
  ms: number;
}

export interface StandinFaults {
  resultChunk?: ResultChunkFault;
  slowStatements?: SlowStatement[];
}

/** Answers the chunk request itself when a fault applies to a chunk starting at `startRow`; true then. */
export function chunkFault(faults: StandinFaults, res: ServerResponse, startRow: number): boolean {
  const fault = faults.resultChunk;
  if (!fault || startRow < fault.afterRows) return false;
  if (fault.times !== undefined) {
    if (fault.times <= 0) return false;
    fault.times--;
  }
  if (fault.mode === 'drop') res.socket?.destroy();
  else sendText(res, 404, 'NoSuchKey');
  return true;
}

/** How long a statement runs on the warehouse (0 = the engine's own time only). */
export function slowStatementMs(faults: StandinFaults, sqlText: string): number {
  const text = sqlText.toUpperCase();
  return (faults.slowStatements ?? []).filter((s) => text.includes(s.match.toUpperCase())).reduce((ms, s) => Math.max(ms, s.ms), 0);
}
