/**
 * EXTERNALBROWSER (reference §2.2): the identity-provider side of browser SSO.
 *
 * The Node driver has two variants. With `disableConsoleLogin: false` it builds
 * `https://<host>/console/login?login_name&proof_key&browser_mode_redirect_port` itself and opens it; with
 * the default (true) it first POSTs `/session/authenticator-request` — but to a hard-coded
 * `https://<host>:443` (sso_url_provider.js), which a local http stand-in cannot serve. Both pages are
 * implemented here: the "browser" (a test's `openExternalBrowserCallback`) rewrites the URL onto the
 * stand-in's accessUrl and POSTs the user's password; the stand-in redirects to the driver's localhost
 * listener with a one-time token bound to the proof key, which the driver then sends in its login request.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { failure, ok, readJsonBody, sendJson, sendText } from './http-util.js';
import { LoginError } from './login-errors.js';
import type { StandinState } from './server.js';

function loginPageUrl(state: StandinState, loginName: string, proofKey: string, port: string): string {
  const url = new URL('/console/login', state.baseUrl);
  url.searchParams.set('login_name', loginName);
  url.searchParams.set('proof_key', proofKey);
  url.searchParams.set('browser_mode_redirect_port', port);
  return url.toString();
}

/** POST /session/authenticator-request → {ssoUrl, proofKey} for EXTERNALBROWSER. */
export async function handleAuthenticatorRequest(state: StandinState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonBody(req);
  const data = (body.data ?? {}) as Record<string, unknown>;
  if (String(data.AUTHENTICATOR ?? '').toUpperCase() !== 'EXTERNALBROWSER') {
    return sendJson(res, 200, failure('390100', `Authenticator ${String(data.AUTHENTICATOR)} has no SSO URL in this stand-in.`));
  }
  const proofKey = randomBytes(32).toString('base64');
  const ssoUrl = loginPageUrl(state, String(data.LOGIN_NAME ?? ''), proofKey, String(data.BROWSER_MODE_REDIRECT_PORT ?? ''));
  sendJson(res, 200, ok({ ssoUrl, proofKey }));
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    const body = await readJsonBody(req);
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)]));
  }
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(parts).toString('utf8')));
}

/** GET shows the sign-in form; POST (login_name, password, proof_key, browser_mode_redirect_port) signs in. */
export async function handleConsoleLogin(state: StandinState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method === 'GET') {
    const q = url.searchParams;
    const html =
      `<form method="post" action="/console/login"><input name="login_name" value="${escapeHtml(q.get('login_name') ?? '')}">` +
      `<input type="password" name="password"><input type="hidden" name="proof_key" value="${escapeHtml(q.get('proof_key') ?? '')}">` +
      `<input type="hidden" name="browser_mode_redirect_port" value="${escapeHtml(q.get('browser_mode_redirect_port') ?? '')}"></form>`;
    return sendText(res, 200, html, { 'Content-Type': 'text/html; charset=utf-8' });
  }
  const form = await readForm(req);
  const port = Number(form.browser_mode_redirect_port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535 || !form.proof_key) {
    return sendText(res, 400, 'browser_mode_redirect_port and proof_key are required');
  }
  try {
    const token = state.account.approveBrowserLogin(form.login_name ?? '', form.password ?? '', form.proof_key);
    res.writeHead(302, { Location: `http://localhost:${port}/?token=${encodeURIComponent(token)}` });
    res.end();
  } catch (err) {
    if (!(err instanceof LoginError)) throw err;
    sendText(res, 401, err.message);
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
