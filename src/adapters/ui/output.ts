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

/** How a step ended, when finishing without an error is not a success (a run that failed, a failing sync). */
export type StepStatus = 'ok' | 'warn' | 'fail';
export type StepDone = string | { text: string; status: StepStatus };

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
  /**
   * Runs `work` under a spinner (TTY) or prints one line when it finishes; rethrows its error. `done` gives the
   * final line, with a status when the work completed but the news is bad (✖ "Run failed", not ✔).
   */
  step<T>(label: string, work: () => Promise<T>, done?: (value: T) => StepDone): Promise<T>;
  /**
   * Runs `ask` (a prompt) with any running spinner stopped and its line cleared, then restarts it: a spinner
   * redraws its line many times a second and would hide the question (and the typed answer's echo).
   */
  whilePrompting<T>(ask: () => Promise<T>): Promise<T>;
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
  const symbols: Record<StepStatus, string> = { ok, warn: style.yellow('⚠'), fail: bad };
  const finished = <T>(label: string, value: T, done?: (value: T) => StepDone) => {
    const end = done ? done(value) : label;
    return typeof end === 'string' ? { symbol: ok, text: end } : { symbol: symbols[end.status], text: end.text };
  };
  /** Spinners currently drawing (steps can nest: a prompt inside a step inside a step). */
  const running = new Set<{ stop(): unknown; start(): unknown; isSpinning: boolean }>();

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
          const end = finished(label, value, done);
          line(`${end.symbol} ${end.text}`);
          return value;
        } catch (error) {
          line(`${bad} ${label}`);
          throw error;
        }
      }
      const { default: ora } = await import('ora');
      const spinner = ora({ text: label, stream: stderr as NodeJS.WritableStream, color: 'cyan' }).start();
      running.add(spinner);
      try {
        const value = await work();
        spinner.stopAndPersist(finished(label, value, done));
        return value;
      } catch (error) {
        spinner.stopAndPersist({ symbol: bad, text: label });
        throw error;
      } finally {
        running.delete(spinner);
      }
    },
    async whilePrompting(ask) {
      const paused = [...running].filter((spinner) => spinner.isSpinning);
      for (const spinner of paused) spinner.stop();
      try {
        return await ask();
      } finally {
        for (const spinner of paused) if (running.has(spinner)) spinner.start();
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
