/**
 * The account's image registry as docker sees it: the stand-in's own authentication in front of a real registry
 * (Debian's docker-registry, test/support/registry.ts). Snowflake documents one way in for docker:
 * `docker login <org>-<account>.registry.snowflakecomputing.com -u 0sessiontoken --password-stdin` with the session
 * token of a Snowflake connection (https://docs.snowflake.com/en/developer-guide/snowflake-cli/services/manage-images,
 * "Get environment tokens for registry authentication"). The gateway speaks the Docker registry token protocol
 * (https://distribution.github.io/distribution/spec/auth/token/): `/v2/…` without a valid bearer token answers
 * 401 with `WWW-Authenticate: Bearer realm=…`; the realm takes Basic `0sessiontoken:<session token>` and issues a
 * bearer token when the session token is one this stand-in issued and is still live. Expired, logged-out
 * (revoked) and foreign tokens get 401, as the real registry answers. The docs are silent on the bearer token's
 * lifetime: the token spec's default of 60 s is used, so a push after a long build needs a live session token.
 * Requests with a valid bearer token are forwarded to the backend registry with the backend's own credentials.
 */
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SessionRegistry } from './sessions.js';

export const SESSION_TOKEN_USER = '0sessiontoken';
const BEARER_SECONDS = 60;
const REALM_PATH = '/oauth2/token';

export interface RegistryBackend {
  host: string;
  username?: string;
  password?: string;
}

/** What the gateway saw, for tests: realm answers and which session tokens were presented. */
export interface RegistryGatewayLog {
  tokensIssued: number;
  refused: Array<{ reason: 'no credentials' | 'wrong user' | 'unknown token' | 'expired token'; at: number }>;
  /** For each issued bearer token, in order: the session, the session token presented and when it expires. */
  issuedFor: Array<{ sessionId: number; sessionToken: string; at: number; sessionTokenExpiresAt: number }>;
}

export interface RegistryGateway {
  /** `127.0.0.1:PORT`: the registry host repository URLs name. */
  host: string;
  log: RegistryGatewayLog;
  close(): Promise<void>;
}

function unauthorized(res: ServerResponse, realm: string, service: string, message: string): void {
  const body = JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message, detail: null }] });
  res.writeHead(401, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'WWW-Authenticate': `Bearer realm="${realm}",service="${service}"`,
    'Docker-Distribution-API-Version': 'registry/2.0',
  });
  res.end(body);
}

function basicCredentials(req: IncomingMessage): { user: string; password: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export async function startRegistryGateway(backend: RegistryBackend, sessions: SessionRegistry): Promise<RegistryGateway> {
  const bearers = new Map<string, number>();
  const log: RegistryGatewayLog = { tokensIssued: 0, refused: [], issuedFor: [] };
  let host = '';
  const realm = () => `http://${host}${REALM_PATH}`;
  const backendAuth = backend.username && backend.password ? `Basic ${Buffer.from(`${backend.username}:${backend.password}`).toString('base64')}` : null;

  function issue(req: IncomingMessage, res: ServerResponse): void {
    const credentials = basicCredentials(req);
    const refuse = (reason: RegistryGatewayLog['refused'][number]['reason']) => {
      log.refused.push({ reason, at: Date.now() });
      unauthorized(res, realm(), host, 'authentication required');
    };
    if (!credentials) return refuse('no credentials');
    if (credentials.user.toLowerCase() !== SESSION_TOKEN_USER) return refuse('wrong user');
    const found = sessions.lookup(credentials.password);
    if (!found) return refuse('unknown token');
    if (found.expired) return refuse('expired token');
    const token = randomBytes(24).toString('base64url');
    bearers.set(token, Date.now() + BEARER_SECONDS * 1000);
    log.tokensIssued++;
    log.issuedFor.push({ sessionId: found.session.sessionId, sessionToken: credentials.password, at: Date.now(), sessionTokenExpiresAt: found.session.tokenExpiresAtMs });
    const body = JSON.stringify({ token, access_token: token, expires_in: BEARER_SECONDS, issued_at: new Date().toISOString() });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  function forward(req: IncomingMessage, res: ServerResponse): void {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const expires = bearer ? bearers.get(bearer) : undefined;
    if (!expires || expires <= Date.now()) return unauthorized(res, realm(), host, 'authentication required');
    const [backendHost, backendPort] = backend.host.split(':');
    // Host stays the gateway's, so the upload URLs the backend builds (Location) point back at the gateway.
    const headers = { ...req.headers };
    delete headers.authorization;
    if (backendAuth) headers.authorization = backendAuth;
    const upstream = httpRequest({ host: backendHost, port: Number(backendPort), method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end('registry backend unreachable');
    });
    req.pipe(upstream);
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (path === REALM_PATH && req.method === 'GET') return issue(req, res);
    if (path === '/v2' || path.startsWith('/v2/')) return forward(req, res);
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
