/**
 * Typed errors, handled at one boundary (src/cli/main.ts) with distinct exit codes.
 * Every error a user can hit says what happened (message) and what to run next (suggestion).
 */
export const EXIT_CODES = {
  ok: 0,
  internal: 1,
  usage: 2,
  connection: 3,
  permission: 4,
  sql: 5,
  docker: 6,
  batch: 7,
  aborted: 130,
} as const;

export type ErrorKind = Exclude<keyof typeof EXIT_CODES, 'ok'>;

export interface UserErrorOptions {
  /** The next command or GRANT to run. */
  suggestion?: string;
  cause?: unknown;
  /** Extra machine-readable details for --json (never secrets). */
  details?: Record<string, unknown>;
}

export class UserError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly suggestion: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(kind: ErrorKind, code: string, message: string, options: UserErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.kind = kind;
    this.code = code;
    this.suggestion = options.suggestion;
    this.details = options.details;
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }

  toJSON(): { code: string; kind: ErrorKind; message: string; suggestion?: string; details?: Record<string, unknown> } {
    return {
      code: this.code,
      kind: this.kind,
      message: this.message,
      ...(this.suggestion ? { suggestion: this.suggestion } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

export const usageError = (code: string, message: string, options?: UserErrorOptions) =>
  new UserError('usage', code, message, options);
export const connectionError = (code: string, message: string, options?: UserErrorOptions) =>
  new UserError('connection', code, message, options);
export const permissionError = (code: string, message: string, options?: UserErrorOptions) =>
  new UserError('permission', code, message, options);
export const sqlError = (code: string, message: string, options?: UserErrorOptions) =>
  new UserError('sql', code, message, options);
export const dockerError = (code: string, message: string, options?: UserErrorOptions) =>
  new UserError('docker', code, message, options);

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
