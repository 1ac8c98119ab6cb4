/**
 * CREATE [OR REPLACE] NOTIFICATION INTEGRATION [IF NOT EXISTS] <name> TYPE = EMAIL | WEBHOOK ENABLED = TRUE|FALSE …
 * - Email (https://docs.snowflake.com/en/sql-reference/sql/create-notification-integration-email):
 *   ALLOWED_RECIPIENTS / DEFAULT_RECIPIENTS = ('a@b', …), DEFAULT_SUBJECT, COMMENT. "You must specify email
 *   addresses of users in the current account. These users must verify their email addresses"; at most 50;
 *   "If you specify an email address that hasn't been verified, the CREATE NOTIFICATION INTEGRATION command fails"
 *   (https://docs.snowflake.com/en/user-guide/notifications/creating-notification-integration-email).
 * - Webhook (https://docs.snowflake.com/en/sql-reference/sql/create-notification-integration-webhooks):
 *   WEBHOOK_URL (https only; only Slack `https://hooks.slack.com/services/…`, Microsoft Teams workflow URLs and
 *   PagerDuty `https://events.pagerduty.com/v2/enqueue`; "Snowflake does not send webhook notifications to external
 *   systems other than the ones listed", user-guide/notifications/webhook-notifications), WEBHOOK_SECRET = <secret>,
 *   WEBHOOK_BODY_TEMPLATE, WEBHOOK_HEADERS = ('k'='v', …), COMMENT. SNOWFLAKE_WEBHOOK_SECRET in the URL, template or
 *   headers is replaced by the secret's value when sending; SNOWFLAKE_WEBHOOK_MESSAGE in the template by the message.
 *   The docs do not say what happens when the placeholder is used without WEBHOOK_SECRET, or a template without a
 *   Content-Type header: the stand-in refuses both (stricter).
 * Stored as an INTEGRATION account object (DROP INTEGRATION and SHOW INTEGRATIONS work as for the others); the parsed
 * settings live in `NotificationSettings`, kept by the alert runtime. Error codes and texts are UNCONFIRMED.
 */
import type { AccountObject } from '../catalog.js';
import type { Cursor } from '../cursor.js';
import { alreadyExists, SnowflakeSqlError } from '../errors.js';
import { isOp, isWord } from '../lexer.js';
import { qualify } from '../names.js';
import type { Session } from '../session.js';

export type NotificationSettings =
  | { type: 'EMAIL'; enabled: boolean; allowed: string[]; defaults: string[]; subject: string | null }
  | { type: 'WEBHOOK'; enabled: boolean; url: string; secret: [string, string, string] | null; bodyTemplate: string | null; headers: Record<string, string> };

/** Documented webhook destinations (CREATE NOTIFICATION INTEGRATION (webhooks), WEBHOOK_URL). */
export const WEBHOOK_URL_PATTERNS: RegExp[] = [
  /^https:\/\/hooks\.slack\.com\/services\/\S+$/,
  /^https:\/\/[A-Za-z0-9-]+\.[A-Za-z0-9-]+\.logic\.azure\.com\/workflows\/\S+$/,
  /^https:\/\/default[A-Za-z0-9-]+\.environment\.api\.powerplatform\.com\/powerautomate\/automations\/direct\/workflows\/\S+$/,
  /^https:\/\/events\.pagerduty\.com\/v2\/enqueue$/,
];

const invalid = (message: string) => new SnowflakeSqlError('001008', '22023', `SQL compilation error:\n${message}`);

/** List of 'string' (recipients) or 'k'='v' pairs (headers), the cursor on '('. */
function stringList(c: Cursor): string[] {
  c.expectOp('(');
  const out: string[] = [];
  while (!c.acceptOp(')')) {
    out.push(c.string());
    if (c.acceptOp('=')) out.push(`=${c.string()}`);
    c.acceptOp(',');
  }
  return out;
}

export interface ParsedIntegration {
  name: string;
  orReplace: boolean;
  ifNotExists: boolean;
  settings: NotificationSettings;
  comment: string | null;
}

/** Parses after `CREATE [OR REPLACE] NOTIFICATION INTEGRATION`. */
export function parseNotificationIntegration(session: Session, c: Cursor, orReplace: boolean): ParsedIntegration {
  const ifNotExists = c.accept('IF', 'NOT', 'EXISTS');
  const name = c.ident();
  const raw: Record<string, string | string[]> = {};
  while (!c.atEnd()) {
    const key = c.ident().toUpperCase();
    c.expectOp('=');
    if (isOp(c.peek(), '(')) raw[key] = stringList(c);
    else if (key === 'WEBHOOK_SECRET') {
      const q = qualify(c.name(), session.context);
      raw[key] = JSON.stringify([q.database, q.schema, q.name]);
    }
    else raw[key] = c.peek()?.type === 'string' ? c.string() : c.ident().toUpperCase();
    c.acceptOp(',');
  }
  const type = raw.TYPE;
  if (type !== 'EMAIL' && type !== 'WEBHOOK') throw invalid(`invalid value [${String(type)}] for parameter 'TYPE'`);
  if (raw.ENABLED === undefined) throw new SnowflakeSqlError('001003', '42000', 'SQL compilation error:\nsyntax error: missing required property ENABLED.');
  const enabled = raw.ENABLED === 'TRUE';
  const comment = typeof raw.COMMENT === 'string' ? raw.COMMENT : null;
  if (type === 'EMAIL') {
    const list = (v: unknown) => (Array.isArray(v) ? v : []);
    const settings: NotificationSettings = { type, enabled, allowed: list(raw.ALLOWED_RECIPIENTS), defaults: list(raw.DEFAULT_RECIPIENTS), subject: typeof raw.DEFAULT_SUBJECT === 'string' ? raw.DEFAULT_SUBJECT : null };
    if (settings.allowed.length > 50) throw invalid('ALLOWED_RECIPIENTS accepts at most 50 email addresses.');
    return { name, orReplace, ifNotExists, settings, comment };
  }
  const url = raw.WEBHOOK_URL;
  if (typeof url !== 'string') throw new SnowflakeSqlError('001003', '42000', 'SQL compilation error:\nsyntax error: missing required property WEBHOOK_URL.');
  const headers: Record<string, string> = {};
  const pairs = Array.isArray(raw.WEBHOOK_HEADERS) ? raw.WEBHOOK_HEADERS : [];
  for (let k = 0; k + 1 < pairs.length; k += 2) headers[pairs[k]!] = pairs[k + 1]!.slice(1);
  const secret = typeof raw.WEBHOOK_SECRET === 'string' ? (JSON.parse(raw.WEBHOOK_SECRET) as [string, string, string]) : null;
  const bodyTemplate = typeof raw.WEBHOOK_BODY_TEMPLATE === 'string' ? raw.WEBHOOK_BODY_TEMPLATE : null;
  return { name, orReplace, ifNotExists, settings: { type, enabled, url, secret, bodyTemplate, headers }, comment };
}

/** The documented rules checked at CREATE time (see the header). `secretValue` reads a SECRET's string. */
export function validateIntegration(parsed: ParsedIntegration, ctx: { existing: AccountObject | undefined; verified: (email: string) => boolean; secretExists: (parts: [string, string, string]) => boolean }): void {
  const { settings } = parsed;
  if (ctx.existing && !parsed.orReplace && !parsed.ifNotExists) throw alreadyExists('INTEGRATION', parsed.name);
  if (settings.type === 'EMAIL') {
    const bad = [...settings.allowed, ...settings.defaults].map((e, i) => [e, i] as const).filter(([e]) => !ctx.verified(e)).map(([, i]) => i);
    if (bad.length > 0) {
      throw new SnowflakeSqlError('394209', '22023', `Email recipients in the given list at indexes [${bad.join(', ')}] are not allowed. Either these email addresses are not yet validated or do not belong to any user in the current account.`);
    }
    return;
  }
  if (!settings.url.startsWith('https://')) throw invalid(`Invalid WEBHOOK_URL '${settings.url}': the URL must use the https:// protocol.`);
  if (/^https:\/\/[^/]+:\d+\//.test(settings.url)) throw invalid(`Invalid WEBHOOK_URL '${settings.url}': omit the port number from the URL.`);
  if (!WEBHOOK_URL_PATTERNS.some((re) => re.test(settings.url))) {
    throw invalid(`Invalid WEBHOOK_URL '${settings.url}': only Slack (https://hooks.slack.com/services/…), Microsoft Teams workflow and PagerDuty (https://events.pagerduty.com/v2/enqueue) webhook URLs are supported.`);
  }
  const usesSecret = [settings.url, settings.bodyTemplate ?? '', ...Object.values(settings.headers)].some((v) => v.includes('SNOWFLAKE_WEBHOOK_SECRET'));
  if (usesSecret && !settings.secret) throw invalid('SNOWFLAKE_WEBHOOK_SECRET is used but WEBHOOK_SECRET is not set.');
  if (settings.secret && !ctx.secretExists(settings.secret)) throw new SnowflakeSqlError('002003', '02000', `SQL compilation error:\nSecret '${settings.secret.join('.')}' does not exist or not authorized.`);
  if (settings.bodyTemplate !== null && !Object.keys(settings.headers).some((h) => h.toLowerCase() === 'content-type')) {
    throw invalid('WEBHOOK_BODY_TEMPLATE requires a Content-Type header in WEBHOOK_HEADERS.');
  }
}

export const isNotificationIntegration = (c: Cursor): boolean => isWord(c.peek(), 'NOTIFICATION') && isWord(c.peek(1), 'INTEGRATION');
