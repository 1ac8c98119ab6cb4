/**
 * CALL SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(<message>, <integration_configuration>)
 * (https://docs.snowflake.com/en/sql-reference/stored-procedures/system_send_snowflake_notification): message and
 * configuration are JSON strings, usually built with SNOWFLAKE.NOTIFICATION.TEXT_PLAIN / TEXT_HTML /
 * APPLICATION_JSON and INTEGRATION / EMAIL_INTEGRATION_CONFIG; either may be a parenthesised list (or
 * ARRAY_CONSTRUCT) of several. SANITIZE_WEBHOOK_CONTENT removes the SNOWFLAKE_WEBHOOK_* placeholders
 * (https://docs.snowflake.com/en/sql-reference/functions/sanitize_webhook_content). Arguments must be constant
 * expressions of these functions and string literals (stricter than Snowflake, which takes any expression).
 */
import { Cursor } from '../cursor.js';
import { SnowflakeSqlError } from '../errors.js';
import { isOp, isWord } from '../lexer.js';

type Value = string | Value[];

const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  TEXT_PLAIN: ([m]) => JSON.stringify({ 'text/plain': str(m) }),
  TEXT_HTML: ([m]) => JSON.stringify({ 'text/html': str(m) }),
  APPLICATION_JSON: ([m]) => JSON.stringify({ 'application/json': str(m) }),
  INTEGRATION: ([name]) => JSON.stringify({ [str(name)]: {} }),
  EMAIL_INTEGRATION_CONFIG: ([name, subject, to, cc, bcc]) =>
    JSON.stringify({ [str(name)]: { subject: str(subject), toAddress: list(to), ...(cc ? { ccAddress: list(cc) } : {}), ...(bcc ? { bccAddress: list(bcc) } : {}) } }),
  SANITIZE_WEBHOOK_CONTENT: ([m]) => str(m).replace(/SNOWFLAKE_WEBHOOK_(SECRET|MESSAGE)/g, ''),
  ARRAY_CONSTRUCT: (args) => args,
};

function str(v: Value | undefined): string {
  if (typeof v !== 'string') throw badArgument();
  return v;
}
function list(v: Value | undefined): string[] {
  return (Array.isArray(v) ? v : [str(v)]).map(str);
}
const badArgument = () => new SnowflakeSqlError('100069', '22000', 'Invalid argument for SYSTEM$SEND_SNOWFLAKE_NOTIFICATION: expected JSON strings built with SNOWFLAKE.NOTIFICATION functions.');

function expr(c: Cursor): Value {
  const t = c.peek();
  if (t?.type === 'string') return c.string();
  if (c.acceptOp('(')) {
    const items: Value[] = [];
    do items.push(expr(c)); while (c.acceptOp(','));
    c.expectOp(')');
    return items.length === 1 ? items[0]! : items;
  }
  const parts = c.name();
  const fn = FUNCTIONS[parts[parts.length - 1]!];
  const qualifiedOk = parts.length === 1 ? parts[0] === 'ARRAY_CONSTRUCT' : parts.slice(0, -1).join('.') === 'SNOWFLAKE.NOTIFICATION';
  if (!fn || !qualifiedOk) throw badArgument();
  c.expectOp('(');
  const args: Value[] = [];
  if (!c.acceptOp(')')) {
    do args.push(expr(c)); while (c.acceptOp(','));
    c.expectOp(')');
  }
  return fn(args);
}

export interface NotificationRequest {
  messages: Array<Record<string, string>>;
  configs: Array<Record<string, { subject?: string; toAddress?: string[] }>>;
}

/** Parses `CALL SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(…)`; undefined when the statement is something else. */
export function parseSendNotification(sql: string, c: Cursor): NotificationRequest | undefined {
  if (!(isWord(c.peek(), 'CALL') && isWord(c.peek(1), 'SYSTEM$SEND_SNOWFLAKE_NOTIFICATION') && isOp(c.peek(2), '('))) return undefined;
  c.i += 3;
  const message = expr(c);
  c.expectOp(',');
  const config = expr(c);
  c.expectOp(')');
  c.acceptOp(';');
  if (!c.atEnd()) throw c.error();
  const parse = <T>(v: Value): T[] => (Array.isArray(v) ? v : [v]).map((x) => {
    try {
      return JSON.parse(str(x)) as T;
    } catch {
      throw badArgument();
    }
  });
  void sql;
  return { messages: parse(message), configs: parse(config) };
}
