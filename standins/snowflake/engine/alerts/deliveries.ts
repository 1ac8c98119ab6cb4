/**
 * Delivery of SYSTEM$SEND_SNOWFLAKE_NOTIFICATION to the local catchers (standins/notifications/catcher.ts):
 * - email: "You can send email notifications only to Snowflake users within the same account" whose address is
 *   verified (https://docs.snowflake.com/en/user-guide/notifications/creating-notification-integration-email);
 *   recipients are the call's toAddress or the integration's DEFAULT_RECIPIENTS, and must be in ALLOWED_RECIPIENTS
 *   when that is set. Subject: the call's, DEFAULT_SUBJECT, else "Snowflake Email Notification" (docs' default).
 * - webhook: SNOWFLAKE_WEBHOOK_SECRET in the URL, template and headers becomes the SECRET's string,
 *   SNOWFLAKE_WEBHOOK_MESSAGE in the template the message (JSON-escaped: the docs' templates put it inside a JSON
 *   string); without a template the body is the message. The documented hosts are mapped to the catcher:
 *   https://<host>/<path> → <catcher>/webhook/<host>/<path>.
 * Verified addresses: `SELECT SYSTEM$START_USER_EMAIL_VERIFICATION('<user>')` ("Starts the email verification process
 * for a user. The system sends a verification email to the user's email address"; only the user or the owner of the
 * user may call it, https://docs.snowflake.com/en/sql-reference/functions/system_start_user_email_verification)
 * mails a link to the mailbox; following it (`GET <catcher>/verify-email?token=…`) verifies that address.
 * `verifyEmail` does the same directly. Changing the EMAIL makes it unverified again. The seed's user SANDBOX_USER
 * has the verified address sandbox.user@example.com.
 * Asynchronous delivery: the CALL checks its arguments and integrations, queues one request per integration and
 * message, and returns; delivery happens afterwards and is reported by INFORMATION_SCHEMA.NOTIFICATION_HISTORY
 * (notification-history.ts; https://docs.snowflake.com/en/sql-reference/functions/notification_history: QUEUED,
 * then SUCCESS, or RETRIABLE_FAILURE per failed attempt "and the system will try to send the notification again",
 * then FAILURE after "multiple attempts"). The stand-in tries MAX_ATTEMPTS times, back to back (the docs give
 * neither the count nor the delay). ERROR_MESSAGE of a webhook carries the HTTP response body, as documented.
 */
import { randomUUID } from 'node:crypto';
import type { Catalog } from '../catalog.js';
import { SnowflakeSqlError } from '../errors.js';
import type { NotificationSettings } from './notification-integrations.js';
import type { NotificationRequest } from './notify.js';
import type { NotificationAttempt } from './notification-history.js';

const MAX_ATTEMPTS = 3;
interface Outbound { integration: string; path: string; headers: Record<string, string>; body: string }

export const SEED_USER_EMAIL = 'sandbox.user@example.com';

const failed = (message: string) => new SnowflakeSqlError('100069', '22000', `Failed to send notification: ${message}`);

export class Deliveries {
  private readonly verified = new Set<string>();

  constructor(private readonly catalog: Catalog, private readonly catcherUrl: () => string) {
    const seedUser = catalog.accountObjects('USER').get('SANDBOX_USER');
    if (seedUser && !seedUser.props.EMAIL) {
      seedUser.props.EMAIL = SEED_USER_EMAIL;
      this.verified.add(`SANDBOX_USER\u0000${SEED_USER_EMAIL}`);
    }
  }

  private readonly tokens = new Map<string, { user: string; email: string }>();
  /** NOTIFICATION_HISTORY's rows, one per attempt. */
  readonly history: NotificationAttempt[] = [];
  private readonly pending = new Set<Promise<void>>();

  /** SYSTEM$START_USER_EMAIL_VERIFICATION: mails the link; the token is good for the address it was sent to. */
  async startVerification(user: string): Promise<void> {
    const email = this.catalog.accountObjects('USER').get(user)?.props.EMAIL;
    if (!email) throw new SnowflakeSqlError('100069', '22000', `User '${user}' has no email address to verify.`);
    const token = randomUUID();
    this.tokens.set(token, { user, email: email.toLowerCase() });
    const link = `${this.catcherUrl()}/verify-email?token=${token}`;
    await this.post('/mail', { 'content-type': 'application/json' }, JSON.stringify({ to: [email], subject: 'Verify your email address for Snowflake', body: `Follow this link to verify ${email}: ${link}` }));
  }

  /** The verification link was followed: verifies the address it was sent to, if it is still the user's. */
  followLink(token: string): boolean {
    const entry = this.tokens.get(token);
    if (!entry || this.catalog.accountObjects('USER').get(entry.user)?.props.EMAIL?.toLowerCase() !== entry.email) return false;
    this.tokens.delete(token);
    this.verified.add(`${entry.user}\u0000${entry.email}`);
    return true;
  }

  /** The user verifies their current EMAIL (the verification link was followed). */
  verifyEmail(user: string): void {
    const email = this.catalog.accountObjects('USER').get(user)?.props.EMAIL;
    if (!email) throw new Error(`user ${user} has no EMAIL to verify`);
    this.verified.add(`${user}\u0000${email.toLowerCase()}`);
  }

  isVerified(email: string): boolean {
    const wanted = email.toLowerCase();
    for (const user of this.catalog.accountObjects('USER').values()) {
      const current = user.props.EMAIL?.toLowerCase();
      if (current === wanted && this.verified.has(`${user.name}\u0000${wanted}`)) return true;
    }
    return false;
  }

  /** Checks and queues (the CALL returns then); delivery runs afterwards, see NOTIFICATION_HISTORY. */
  async send(request: NotificationRequest, integrations: Map<string, NotificationSettings>): Promise<void> {
    const outbound: Outbound[] = [];
    for (const config of request.configs) {
      for (const [name, options] of Object.entries(config)) {
        const settings = integrations.get(name.toUpperCase()) ?? integrations.get(name);
        if (!settings || !this.catalog.accountObjects('INTEGRATION').has(name.toUpperCase())) throw new SnowflakeSqlError('002003', '02000', `SQL compilation error:\nIntegration '${name.toUpperCase()}' does not exist or not authorized.`);
        if (!settings.enabled) throw failed(`integration ${name} is disabled`);
        for (const message of request.messages) {
          const out = settings.type === 'EMAIL' ? this.email(settings, options, message) : this.webhook(settings, message);
          outbound.push({ integration: name.toUpperCase(), ...out });
        }
      }
    }
    for (const out of outbound) {
      const delivery = this.deliver(out, randomUUID(), new Date()).finally(() => this.pending.delete(delivery));
      this.pending.add(delivery);
    }
  }

  /** Resolves when every queued notification is delivered or failed (for close and tests). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async deliver(out: Outbound, id: string, created: Date): Promise<void> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const row: NotificationAttempt = { id, attempt, integration: out.integration, created, processed: null, status: 'QUEUED', errorMessage: null };
      this.history.push(row);
      const error = await this.post(out.path, out.headers, out.body).then(() => null, (e: Error) => e.message);
      row.processed = new Date();
      if (error === null) {
        row.status = 'SUCCESS';
        return;
      }
      row.errorMessage = error;
      row.status = attempt < MAX_ATTEMPTS ? 'RETRIABLE_FAILURE' : 'FAILURE';
    }
  }

  private email(settings: Extract<NotificationSettings, { type: 'EMAIL' }>, options: { subject?: string; toAddress?: string[] }, message: Record<string, string>): Omit<Outbound, 'integration'> {
    const to = options.toAddress ?? settings.defaults;
    if (to.length === 0) throw failed('no recipients (give toAddress or set DEFAULT_RECIPIENTS)');
    for (const address of to) {
      if (settings.allowed.length > 0 && !settings.allowed.some((a) => a.toLowerCase() === address.toLowerCase())) throw failed(`${address} is not in ALLOWED_RECIPIENTS`);
      if (!this.isVerified(address)) throw failed(`${address} is not a verified email address of a user in this account`);
    }
    const body = message['text/plain'] ?? message['text/html'];
    if (body === undefined) throw failed('an email message must be text/plain or text/html');
    return { path: '/mail', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to, subject: options.subject ?? settings.subject ?? 'Snowflake Email Notification', body }) };
  }

  private webhook(settings: Extract<NotificationSettings, { type: 'WEBHOOK' }>, message: Record<string, string>): Omit<Outbound, 'integration'> {
    const text = message['text/plain'] ?? message['application/json'] ?? message['text/html'] ?? '';
    let secret = '';
    if (settings.secret) {
      const [db, schema, name] = settings.secret;
      const object = this.catalog.object(db, schema, name);
      if (!object) throw failed(`secret ${settings.secret.join('.')} does not exist`);
      secret = object.props.SECRET_STRING ?? '';
    }
    const fill = (s: string, json: boolean) => s.replaceAll('SNOWFLAKE_WEBHOOK_SECRET', secret).replaceAll('SNOWFLAKE_WEBHOOK_MESSAGE', json ? JSON.stringify(text).slice(1, -1) : text);
    const url = new URL(fill(settings.url, false));
    const headers = Object.fromEntries(Object.entries(settings.headers).map(([k, v]) => [k, fill(v, false)]));
    const body = settings.bodyTemplate === null ? text : fill(settings.bodyTemplate, true);
    return { path: `/webhook/${url.host}${url.pathname}${url.search}`, headers, body };
  }

  private async post(path: string, headers: Record<string, string>, body: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(`${this.catcherUrl()}${path}`, { method: 'POST', headers, body });
    } catch (error) {
      throw failed(`the connection to the destination failed (${(error as { cause?: Error }).cause?.message ?? (error as Error).message})`);
    }
    if (!response.ok) throw failed(`the destination answered HTTP ${response.status}: ${await response.text()}`);
  }
}
