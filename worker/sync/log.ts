import { redact, type Secret } from '../secret.js';

export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  /** Values that must never be printed, even inside a library's error message. */
  addSecret(secret: Secret | string | undefined): void;
}

/**
 * JSON lines on stdout (SPCS collects the container's stdout into the event table, snowflake-spcs.md §3.4).
 * Every line is redacted against the known secrets as a last line of defence.
 */
export function createJsonLogger(write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  const secrets: Array<Secret | string> = [];
  const log = (level: LogLevel, event: string, fields: Record<string, unknown> = {}) => {
    const line = JSON.stringify({ ts: new Date().toISOString(), level, event, ...fields }, (_key, value: unknown) =>
      value instanceof Error ? { name: value.name, message: value.message, ...(value as { code?: unknown }).code !== undefined ? { code: (value as { code?: unknown }).code } : {} } : value,
    );
    write(`${redact(line, secrets)}\n`);
  };
  return {
    log,
    info: (event, fields) => log('info', event, fields),
    warn: (event, fields) => log('warn', event, fields),
    error: (event, fields) => log('error', event, fields),
    addSecret: (secret) => {
      if (secret !== undefined) secrets.push(secret);
    },
  };
}

export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const { code, suggestion, kind } = error as { code?: unknown; suggestion?: unknown; kind?: unknown };
    return { error: error.message, errorName: error.name, ...(code ? { code } : {}), ...(kind ? { kind } : {}), ...(suggestion ? { suggestion } : {}) };
  }
  return { error: String(error) };
}
