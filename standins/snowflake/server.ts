/** The Snowflake stand-in's HTTP server: routing, error containment, lifecycle. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAuthenticatorRequest, handleConsoleLogin } from './browser-login.js';
import { failure, sendGzipChunk, sendJson, sendText } from './http-util.js';
import { handleAbort, handleQuery, handleStoredResult } from './query-route.js';
import { handleHeartbeat, handleLogin, handleLogout, handleTelemetry, handleTokenRequest } from './session-routes.js';
import type { StandinAccount } from './account.js';
import type { Engine } from './engine-types.js';
import type { ResultChunkStore } from './result-chunks.js';
import type { SessionRegistry } from './sessions.js';
import { chunkFault, type StandinFaults } from './faults.js';

export interface StandinState {
  account: StandinAccount;
  engine: Engine;
  sessions: SessionRegistry;
  chunkStore: ResultChunkStore;
  /**
   * Added to every query-request answer (benchmarks, `--statement-latency-ms`): a real warehouse answers a
   * statement in roughly 50–300 ms of round trip and compile time, which the engine here does not have.
   * Settable while running (the bench changes it between scenarios).
   */
  latencyMs: number;
  /** Test fault injection (faults.ts): result-chunk downloads that break, statements that run long. */
  faults: StandinFaults;
  /** Rows per result chunk (the first chunk is inline in `rowset`). */
  chunkRows: number;
  /** `http://127.0.0.1:<port>`, known once the server listens. */
  baseUrl: string;
  /** What the stand-in saw, for tests: telemetry batches received, aborted request ids, statements per session. */
  observed: {
    telemetryBatches: number;
    abortedRequestIds: string[];
    logins: number;
    /** Each successful login: who, how, and the client's CLIENT_ENVIRONMENT.APPLICATION (batch-snowflake for the CLI). */
    loginLog: Array<{ user: string; authenticator: string; application: string | null }>;
    statements: StatementCounts[];
  };
}

/** Query requests one session sent (kept after logout, so a finished worker can still be counted). */
export interface StatementCounts {
  sessionId: number;
  user: string;
  /** Date.now() at login. */
  loginAtMs: number;
  /** Every POST /queries/v1/query-request, failed ones included. */
  statements: number;
  /** Result chunks downloaded (GET, not statements: real Snowflake serves them from cloud storage). */
  chunkDownloads: number;
  /** Date.now() when its first statement arrived. */
  firstStatementAtMs?: number;
  /** The first 100 characters of each of its first 500 statements (tests name what they count). */
  heads?: string[];
}

type Handler = (state: StandinState, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

const POST_ROUTES: Record<string, Handler> = {
  '/session/v1/login-request': handleLogin,
  '/queries/v1/query-request': handleQuery,
  '/queries/v1/abort-request': handleAbort,
  '/session/token-request': handleTokenRequest,
  '/session/heartbeat': handleHeartbeat,
  '/session/authenticator-request': handleAuthenticatorRequest,
  '/telemetry/send': handleTelemetry,
  '/console/login': handleConsoleLogin,
};

const CHUNK_PATH = /^\/_results\/([0-9a-f]{32})\/chunks\/(\d+)$/;

function route(state: StandinState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> | void {
  const path = url.pathname;
  if (req.method === 'GET') {
    const chunk = CHUNK_PATH.exec(path);
    if (chunk) {
      if (chunkFault(state.faults, res, Number(chunk[2]) * state.chunkStore.chunkRowsOf(chunk[1]!))) return;
      const body = state.chunkStore.chunkBody(chunk[1]!, Number(chunk[2]));
      const owner = state.chunkStore.ownerOf(chunk[1]!);
      const counts = owner === null ? undefined : state.observed.statements.find((c) => String(c.sessionId) === owner);
      if (counts) counts.chunkDownloads++;
      // Cloud storage answers a missing object with 404 (403/5xx would be retried by the driver).
      return body === null ? sendText(res, 404, 'NoSuchKey') : sendGzipChunk(res, body);
    }
    if (path === '/console/login') return handleConsoleLogin(state, req, res, url);
    const stored = /^\/queries\/([^/]+)\/result$/.exec(path);
    if (stored) return handleStoredResult(state, req, res, stored[1]!);
  }
  if (req.method === 'POST') {
    if (path === '/session' && url.searchParams.get('delete') === 'true') return handleLogout(state, req, res);
    const handler = POST_ROUTES[path];
    if (handler) return handler(state, req, res, url);
    if (/^\/queries\/[^/]+\/abort-request$/.test(path)) return handleAbort(state, req, res);
  }
  sendJson(res, 404, failure('390404', `The Snowflake stand-in has no route ${req.method} ${path}.`));
}

export interface RunningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function listenStandin(state: StandinState, port: number, host: string): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    Promise.resolve()
      .then(() => route(state, req, res, url))
      .catch((err: unknown) => {
        // A malformed request (bad JSON, …) must not crash the process; Snowflake answers 400.
        if (res.headersSent) return res.destroy();
        sendJson(res, 400, failure('390400', `Bad request: ${err instanceof Error ? err.message : String(err)}`));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  state.baseUrl = `http://${host}:${actualPort}`;
  return {
    server,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
