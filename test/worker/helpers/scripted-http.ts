import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  receivedAt: number;
}

/** What the script does with the nth request (0-based). 'hang' never answers; 'reset' destroys the socket. */
export type ScriptStep =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | 'hang'
  | 'reset';

/**
 * A tiny real HTTP server for client logic tests whose faults must happen in an exact order
 * (the Batch sandbox covers rate limiting and random faults).
 */
export async function startScriptedServer(script: (index: number, request: RecordedRequest) => ScriptStep) {
  const requests: RecordedRequest[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: performance.now(),
      };
      requests.push(recorded);
      const step = script(requests.length - 1, recorded);
      if (step === 'hang') {
        hanging.push(res);
        return;
      }
      if (step === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
      res.end(step.body === undefined ? '' : JSON.stringify(step.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
