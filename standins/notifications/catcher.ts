/**
 * Local catchers for the notifications the Snowflake stand-in sends (SYSTEM$SEND_SNOWFLAKE_NOTIFICATION from an
 * ALERT): one HTTP server on 127.0.0.1 with
 * - `POST /webhook/<host>/<path>`: a webhook receiver. The stand-in maps the documented webhook hosts (Slack,
 *   Teams, PagerDuty) here, keeping host and path, so a test sees the URL Snowflake would have called.
 * - `POST /mail`: a mailbox endpoint, JSON `{ to: string[], subject, body }` (what Snowflake's email service sends).
 * - `GET /_catcher/messages`: every message received so far (JSON), for the demo and for people poking around.
 * - `GET /verify-email?token=…`: the link of Snowflake's verification email (what the user clicks); the stand-in
 *   registers the handler (`onVerify`).
 * Tests wait on a message with `waitFor(predicate, timeoutMs)`: event-driven, bounded, no polling loop.
 * `refuse(target, how)` makes a webhook destination unreachable, for the URLs starting with `https://<target>`:
 * 'not-found' answers HTTP 404 with a body that echoes the path (as some services do, so the body can carry the
 * URL's secret part), 'close' closes the connection without an answer (a host that is down).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { EventEmitter } from 'node:events';

export interface CaughtMessage {
  seq: number;
  channel: 'webhook' | 'email';
  receivedAt: Date;
  /** webhook: the URL the stand-in was asked to call (https://<host>/<path>); email: the recipients joined by ','. */
  target: string;
  headers: Record<string, string>;
  /** webhook: the raw request body; email: the message body. */
  body: string;
  /** email only. */
  subject?: string;
  to?: string[];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export class NotificationCatcher {
  readonly messages: CaughtMessage[] = [];
  private readonly events = new EventEmitter();
  private seq = 0;
  /** Set by the Snowflake stand-in: a verification link was followed; true when the token was valid. */
  onVerify: ((token: string) => boolean) | null = null;
  private readonly refused = new Map<string, 'not-found' | 'close'>();

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<NotificationCatcher> {
    let catcher: NotificationCatcher | undefined;
    const server = createServer((req, res) => {
      const how = catcher!.refusal(req.url ?? '/');
      if (how === 'close') return void req.socket.destroy();
      if (how === 'not-found') return void res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'no_service', path: req.url }));
      void catcher!.handle(req).then(
        ([status, body]) => res.writeHead(status, { 'content-type': 'application/json' }).end(body),
        (error: Error) => res.writeHead(500).end(error.message),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('notification catcher: no port');
    catcher = new NotificationCatcher(server, `http://127.0.0.1:${address.port}`);
    return catcher;
  }

  /** Resolves with the first message (already received or to come) matching `match`; rejects after timeoutMs. */
  waitFor(match: (m: CaughtMessage) => boolean, timeoutMs = 20_000): Promise<CaughtMessage> {
    const found = this.messages.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('message', listener);
        reject(new Error(`no matching notification within ${timeoutMs} ms (received: ${this.messages.map((m) => `${m.channel} ${m.target}`).join('; ') || 'none'})`));
      }, timeoutMs);
      const listener = (m: CaughtMessage) => {
        if (!match(m)) return;
        clearTimeout(timer);
        this.events.off('message', listener);
        resolve(m);
      };
      this.events.on('message', listener);
    });
  }

  /** Webhook URLs starting with `https://<target>` (host and path, no scheme) become unreachable. */
  refuse(target: string, how: 'not-found' | 'close'): void {
    this.refused.set(target, how);
  }

  private refusal(url: string): 'not-found' | 'close' | undefined {
    if (!url.startsWith('/webhook/')) return undefined;
    const target = url.slice('/webhook/'.length);
    for (const [prefix, how] of this.refused) if (target.startsWith(prefix)) return how;
    return undefined;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private record(message: Omit<CaughtMessage, 'seq' | 'receivedAt'>): void {
    const full = { ...message, seq: ++this.seq, receivedAt: new Date() };
    this.messages.push(full);
    this.events.emit('message', full);
  }

  private async handle(req: IncomingMessage): Promise<[number, string]> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET' && path === '/_catcher/messages') return [200, JSON.stringify(this.messages)];
    if (req.method === 'GET' && path === '/verify-email') {
      const token = new URL(req.url ?? '/', this.url).searchParams.get('token') ?? '';
      return this.onVerify?.(token) ? [200, '{"verified":true}'] : [404, '{"error":"unknown or expired verification link"}'];
    }
    if (req.method !== 'POST') return [405, '{"error":"method not allowed"}'];
    const body = await readBody(req);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    if (path.startsWith('/webhook/')) {
      this.record({ channel: 'webhook', target: `https://${path.slice('/webhook/'.length)}`, headers, body });
      return [200, '{"ok":true}'];
    }
    if (path === '/mail') {
      const mail = JSON.parse(body) as { to: string[]; subject: string; body: string };
      this.record({ channel: 'email', target: mail.to.join(','), headers, body: mail.body, subject: mail.subject, to: mail.to });
      return [200, '{"ok":true}'];
    }
    return [404, '{"error":"not found"}'];
  }
}
