/**
 * Every line the CLI prints goes through here.
 * - Human output (progress, warnings, errors) goes to stderr; stdout carries only the result: the command's
 *   text, or with --json exactly one envelope `{ ok: true, result } | { ok: false, error }`.
 * - Colours: off when NO_COLOR is set to a non-empty value (no-color.org; anchors.md B.9), else FORCE_COLOR,
 *   else only on a TTY with TERM other than "dumb" (terminal.ts colorLevel).
 * - Spinners (ora, loaded on first use) only when stderr is a TTY and CI is not set; otherwise one plain
 *   line per finished step.
 */
import { Chalk, supportsColorStderr, type ChalkInstance } from 'chalk';
import type { ErrorKind } from '../../../shared/errors.js';
import { colorLevel, isCi } from './terminal.js';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ErrorBody {
  code: string;
  kind: ErrorKind;
  message: string;
  suggestion?: string;
  details?: Record<string, unknown>;
}

export type Envelope = { ok: true; result: unknown } | { ok: false; error: ErrorBody };

export interface OutputOptions {
  json: boolean;
  verbose: boolean;
  stdout?: OutputStream;
  stderr?: OutputStream;
  env?: NodeJS.ProcessEnv;
}

export interface Output {
  readonly json: boolean;
  readonly verbose: boolean;
  /** Chalk with the level decided above; use for emphasis inside messages. */
  readonly style: ChalkInstance;
  info(text: string): void;
  success(text: string): void;
  warn(text: string): void;
  /** Only with --verbose. */
  debug(text: string): void;
  /** Runs `work` under a spinner (TTY) or prints one line when it finishes; rethrows its error. */
  step<T>(label: string, work: () => Promise<T>, done?: (value: T) => string): Promise<T>;
  /** The command's result: an envelope on stdout with --json, else `text` (if any) on stdout. */
  result(data: unknown, text?: string): void;
  /** A failure: an envelope on stdout with --json, else message and suggestion on stderr. */
  failure(error: ErrorBody): void;
}

export function createOutput(options: OutputOptions): Output {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const style = new Chalk({ level: colorLevel(env, stderr.isTTY === true, supportsColorStderr ? supportsColorStderr.level : 0) });
  const spinners = stderr.isTTY === true && !isCi(env) && env.TERM !== 'dumb';
  const line = (text: string) => stderr.write(`${text}\n`);
  const ok = style.green('✔');
  const bad = style.red('✖');

  return {
    json: options.json,
    verbose: options.verbose,
    style,
    info: (text) => line(text),
    success: (text) => line(`${ok} ${text}`),
    warn: (text) => line(`${style.yellow('⚠')} ${text}`),
    debug: (text) => {
      if (options.verbose) line(style.dim(text));
    },
    async step(label, work, done) {
      if (!spinners) {
        try {
          const value = await work();
          line(`${ok} ${done ? done(value) : label}`);
          return value;
        } catch (error) {
          line(`${bad} ${label}`);
          throw error;
        }
      }
      const { default: ora } = await import('ora');
      const spinner = ora({ text: label, stream: stderr as NodeJS.WritableStream, color: 'cyan' }).start();
      try {
        const value = await work();
        spinner.stopAndPersist({ symbol: ok, text: done ? done(value) : label });
        return value;
      } catch (error) {
        spinner.stopAndPersist({ symbol: bad, text: label });
        throw error;
      }
    },
    result(data, text) {
      if (options.json) stdout.write(`${JSON.stringify({ ok: true, result: data ?? null } satisfies Envelope)}\n`);
      else if (text !== undefined && text !== '') stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    failure(error) {
      if (options.json) {
        stdout.write(`${JSON.stringify({ ok: false, error } satisfies Envelope)}\n`);
        return;
      }
      line(`${bad} ${style.bold(error.message)}`);
      if (error.suggestion) line(`  ${style.cyan('→')} ${error.suggestion}`);
    },
  };
}
