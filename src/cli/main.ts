/**
 * The CLI shell: `main(argv)` builds the commander program, runs one command, and turns every outcome into
 * output and an exit code (used by bin/batch-snowflake.js).
 *
 * How commands are registered:
 *   1. `src/cli/flags/<file>.ts` declares the command with `defineCommand({ name, summary, configure,
 *      schema })`: commander options only, and a zod schema (built lazily) that validates them;
 *   2. `src/cli/flags/index.ts` lists it in COMMANDS;
 *   3. `src/commands/<name>.ts` implements `export async function run(options, context): Promise<CommandOutcome>`
 *      (types in src/cli/command-spec.ts). It is imported only when the command runs; while it does not
 *      exist the command fails with COMMAND_NOT_AVAILABLE rather than pretending to work.
 * Startup stays light: this file loads commander and the command declarations only. zod, chalk/ora,
 * @inquirer/prompts and snowflake-sdk are imported when a command runs (see bench:cli).
 */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { usageError } from '../../shared/errors.js';
import type { OutputStream } from '../adapters/ui/output.js';
import type { CommandContext } from '../runtime/context.js';
import { loadImplementation, type CommandSpec } from './command-spec.js';
import { COMMANDS } from './flags/index.js';
import { reportError } from './error-boundary.js';
import { addGlobalOptions, readGlobalOptions, type TerminalState } from './global-options.js';

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Finds a command's run(); tests substitute implementations here. */
  loadImplementation: typeof loadImplementation;
}

function packageVersion(): string {
  // dist/src/cli/main.js and src/cli/main.ts sit at different depths: walk up to our package.json.
  for (let url = new URL('./', import.meta.url), i = 0; i < 5; i++, url = new URL('../', url)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'batch-snowflake' && pkg.version) return pkg.version;
    } catch {
      // not here; keep walking
    }
  }
  return '0.0.0-unknown';
}

function flagName(path: PropertyKey[]): string {
  const first = path[0];
  return typeof first === 'string' ? `--${first.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : 'options';
}

async function runCommand(spec: CommandSpec, command: Command, io: CliIo): Promise<number> {
  const terminal: TerminalState = { stdinIsTTY: io.stdinIsTTY, stdoutIsTTY: io.stdout.isTTY === true, env: io.env };
  const globals = readGlobalOptions(command.optsWithGlobals(), io.cwd, terminal);
  const [{ createOutput }, { z }, { createSnowflakeContext }] = await Promise.all([import('../adapters/ui/output.js'), import('zod'), import('../runtime/snowflake-context.js')]);
  const output = createOutput({ json: globals.json, verbose: globals.verbose, stdout: io.stdout, stderr: io.stderr, env: io.env });
  const parsed = spec.schema(z).safeParse(command.opts());
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${flagName(issue.path)}: ${issue.message}`);
    throw usageError('INVALID_OPTIONS', `Invalid options for \`${spec.name}\`: ${problems.join('; ')}.`, {
      suggestion: `Run \`batch-snowflake ${spec.name} --help\`.`,
    });
  }
  const run = await io.loadImplementation(spec.name);
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) return;
    controller.abort();
    io.stderr.write('\nInterrupted.\n');
    // Give the command a moment to stop cleanly, then leave whatever it is waiting on.
    setTimeout(() => process.exit(130), 2_000).unref();
  };
  // `on`, not `once`: the prompt library's signal-exit handler re-raises SIGINT (killing the process without
  // cleanup) when it finds itself the only listener, which a `once` listener would be by the time it runs.
  process.on('SIGINT', onInterrupt);
  try {
    const context: CommandContext = {
      cwd: io.cwd,
      configPath: globals.configPath,
      json: globals.json,
      interactive: globals.interactive,
      yes: globals.yes,
      verbose: globals.verbose,
      env: io.env,
      output,
      signal: controller.signal,
      connectionFlags: globals.connectionFlags,
      snowflake: createSnowflakeContext({ connectionFlags: globals.connectionFlags, interactive: globals.interactive, env: io.env, output, signal: controller.signal }),
    };
    const outcome = await run(parsed.data, context);
    if (controller.signal.aborted) return 130;
    output.result(outcome.result, outcome.text);
    return outcome.exitCode ?? 0;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('batch-snowflake')
    .description('Sync customer data from a Snowflake view to Batch profiles, run by a task on Snowpark Container Services.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      outputError: () => undefined, // the error boundary prints errors, once, in the right format
    })
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', '\nConnection settings are read like the Snowflake CLI does: flags, SNOWFLAKE_CONNECTIONS_<NAME>_<KEY>,\n~/.snowflake/connections.toml (or config.toml), then SNOWFLAKE_<KEY>. Passwords come from there or a prompt.\n');
  addGlobalOptions(program);
  const groups = new Map<string, Command>();
  for (const spec of COMMANDS) {
    const words = spec.name.split(' ');
    let parent = program;
    if (words.length === 2) {
      const group = words[0] as string;
      parent = groups.get(group) ?? program.command(group).description(`${group} commands (see \`batch-snowflake ${group} --help\`)`);
      groups.set(group, parent);
    }
    const command = parent.command(words[words.length - 1] as string).description(spec.summary);
    spec.configure(command);
    command.action(async (_options: unknown, self: Command) => setExitCode(await runCommand(spec, self, io)));
  }
  return program;
}

export async function main(argv: string[], overrides: Partial<CliIo> = {}): Promise<number> {
  const io: CliIo = {
    stdout: overrides.stdout ?? process.stdout,
    stderr: overrides.stderr ?? process.stderr,
    stdinIsTTY: overrides.stdinIsTTY ?? process.stdin.isTTY === true,
    env: overrides.env ?? process.env,
    cwd: overrides.cwd ?? process.cwd(),
    loadImplementation: overrides.loadImplementation ?? loadImplementation,
  };
  let exitCode = 0;
  let finished = false;
  // If the event loop drains while a command is still pending (a promise nothing will settle), Node would
  // exit 0 as if it had succeeded. Report it as the bug it is.
  const onBeforeExit = () => {
    if (finished) return;
    io.stderr.write('Internal error: the command stopped before finishing (a bug in batch-snowflake; please report it).\n');
    process.exitCode = 1;
  };
  process.once('beforeExit', onBeforeExit);
  if (io.stdout === process.stdout) {
    // `batch-snowflake status | head -1`: the reader went away; that is not an error worth a stack trace.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(exitCode);
    });
  }
  try {
    await buildProgram(io, (code) => (exitCode = code)).parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    // Decided from argv: a usage error can happen before commander has parsed --json.
    const json = argv.includes('--json');
    return await reportError(error, { json, verbose: argv.includes('--verbose'), stdout: io.stdout, stderr: io.stderr, env: io.env });
  } finally {
    finished = true;
    process.off('beforeExit', onBeforeExit);
  }
}
