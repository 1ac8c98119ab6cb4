/**
 * Runs external commands (docker, …). The ONLY module that imports execa.
 *
 * Secrets never travel in process arguments (they are visible to every user through `ps` and
 * /proc/PID/cmdline): a secret goes on stdin (`secretStdin`) or in the environment, and runCommand
 * refuses to start a command whose arguments contain any secret it was told about. Secrets are
 * also redacted from the captured output and from the command line it reports.
 */
import { execa } from 'execa';

export type OutputStream = 'stdout' | 'stderr';

export interface RunOptions {
  cwd?: string;
  /** Added to (or overriding) the current environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Non-secret text written to stdin. */
  input?: string;
  /** A secret written to stdin (e.g. `docker login --password-stdin`); never accepted in args. */
  secretStdin?: string;
  /** Other secret values the command may see (e.g. in env): checked against args, redacted from output. */
  secrets?: readonly string[];
  /** Kill the command (SIGTERM, then SIGKILL after 5 s) once it has run this long. */
  timeoutMs?: number;
  /** Kill the command (same way) when this signal aborts. */
  signal?: AbortSignal;
  /** Called for each output line as it arrives (already redacted), e.g. to drive a spinner. */
  onLine?: (line: string, stream: OutputStream) => void;
}

export interface CommandResult {
  /** The command line for messages, secrets redacted. */
  command: string;
  /** Undefined when the process did not exit by itself (not found, killed, timed out). */
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
  /** True unless the command ran and exited 0. */
  failed: boolean;
  timedOut: boolean;
  /** The executable was not found (ENOENT). */
  notFound: boolean;
  durationMs: number;
}

export const REDACTED = '***';

/** Throws (a programming error, not a user error) when any argument contains a secret. */
export function assertNoSecretInArgs(args: readonly string[], secrets: readonly string[]): void {
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    if (args.some((arg) => arg.includes(secret))) {
      throw new Error('refusing to run a command with a secret in its arguments; pass it on stdin or in env');
    }
  }
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join(REDACTED);
  }
  return out;
}

function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** Runs `file args…` without a shell. Never throws for a failing command: inspect the result. */
export async function runCommand(file: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  const secrets = [...(options.secretStdin === undefined ? [] : [options.secretStdin]), ...(options.secrets ?? [])];
  assertNoSecretInArgs([file, ...args], secrets);
  if (options.input !== undefined && options.secretStdin !== undefined) {
    throw new Error('runCommand: give either input or secretStdin, not both');
  }
  const stdin = options.secretStdin ?? options.input;
  const lineHook = (stream: OutputStream) =>
    function* (line: unknown): Generator<unknown> {
      options.onLine?.(redact(String(line), secrets), stream);
      yield line;
    };

  const result = await execa(file, [...args], {
    reject: false,
    all: true,
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    ...(stdin === undefined ? { stdin: 'ignore' as const } : { input: stdin }),
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    ...(options.signal === undefined ? {} : { cancelSignal: options.signal }),
    forceKillAfterDelay: 5_000,
    ...(options.onLine ? { stdout: lineHook('stdout'), stderr: lineHook('stderr') } : {}),
  });

  const text = (value: unknown) => redact(typeof value === 'string' ? value : '', secrets);
  return {
    command: redact([file, ...args].map(quoteForDisplay).join(' '), secrets),
    exitCode: result.exitCode,
    stdout: text(result.stdout),
    stderr: text(result.stderr),
    output: text(result.all),
    failed: result.failed,
    timedOut: result.timedOut,
    notFound: 'code' in result && result.code === 'ENOENT',
    durationMs: Math.round(result.durationMs),
  };
}

/** The last `count` non-empty lines of a command's output, to show on failure. */
export function outputTail(result: Pick<CommandResult, 'output'>, count = 20): string {
  const lines = result.output.split('\n').filter((line) => line.trim().length > 0);
  return lines.slice(-count).join('\n');
}
