/**
 * A counting HTTP proxy in front of the Snowflake stand-in (the stand-in itself is not changed): every
 * query-request the driver sends is counted, with how many were in flight at once and their time line.
 */
import { createServer, request, type Server } from 'node:http';

export interface QueryCounter {
  url: string;
  count: number;
  inFlight: number;
  maxInFlight: number;
  /** [start, end] in ms (performance.now()) of each query-request. */
  spans: Array<[number, number]>;
  reset(): void;
  close(): Promise<void>;
}

export async function startQueryCounter(target: string): Promise<QueryCounter> {
  const upstream = new URL(target);
  const counter = { count: 0, inFlight: 0, maxInFlight: 0, spans: [] as Array<[number, number]> };
  const server: Server = createServer((req, res) => {
    const isQuery = (req.url ?? '').startsWith('/queries/v1/query-request');
    const started = performance.now();
    if (isQuery) {
      counter.count += 1;
      counter.inFlight += 1;
      counter.maxInFlight = Math.max(counter.maxInFlight, counter.inFlight);
    }
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', () => {
        if (!isQuery) return;
        counter.inFlight -= 1;
        counter.spans.push([started, performance.now()]);
      });
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return Object.assign(counter, {
    url: `http://127.0.0.1:${port}`,
    reset() {
      Object.assign(counter, { count: 0, inFlight: 0, maxInFlight: 0, spans: [] });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
