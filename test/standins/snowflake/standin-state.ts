/** State shared by the stand-in's route handlers. */
import type { StandinAccount } from './account.js';
import type { Engine } from './engine-types.js';
import type { ResultChunkStore } from './result-chunks.js';
import type { SessionRegistry } from './sessions.js';

export interface StandinState {
  account: StandinAccount;
  engine: Engine;
  sessions: SessionRegistry;
  chunkStore: ResultChunkStore;
  /** Added to every query-request answer (benchmarks). */
  latencyMs: number;
  /** Rows per result chunk (the first chunk is inline in `rowset`). */
  chunkRows: number;
  /** `http://127.0.0.1:<port>`, known once the server listens. */
  baseUrl: string;
  /** What the stand-in saw, for tests: telemetry batches received, aborted request ids. */
  observed: { telemetryBatches: number; abortedRequestIds: string[]; logins: number };
}
