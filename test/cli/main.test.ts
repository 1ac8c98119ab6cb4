/**
 * The CLI shell in-process: main(argv, io) with captured stdout/stderr and substituted command
 * implementations (the real ones live in src/commands/ and are tested by their owners).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors.js';
import { loadImplementation } from '../../src/cli/command-spec.js';
import type { CommandContext, CommandImplementation } from '../../src/runtime/context.js';
import { main } from '../../src/cli/main.js';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

function sink() {
  let text = '';
  return { stream: { write: (chunk: string) => (text += chunk), isTTY: false }, read: () => text };
}

async function cli(argv: string[], implementation?: CommandImplementation<unknown>, env: NodeJS.ProcessEnv = {}): Promise<Captured> {
  const out = sink();
  const err = sink();
  const code = await main(argv, {
    stdout: out.stream,
    stderr: err.stream,
    stdinIsTTY: false,
    env,
    cwd: '/tmp/project',
    ...(implementation ? { loadImplementation: async () => implementation } : {}),
  });
  return { code, stdout: out.read(), stderr: err.read() };
}

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('help, version and usage errors', () => {
  it('--version prints the package version', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help lists every command and the connection flags, without a password flag', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    for (const name of ['init', 'status', 'run', 'logs', 'pause', 'resume', 'uninstall']) expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    for (const flag of ['--connection', '--account', '--private-key-file', '--access-url', '--json', '--no-interactive', '--yes', '--config']) expect(stdout).toContain(flag);
    expect(stdout).not.toContain('--password');
  });

  it('an unknown option is a usage error (exit 2) on stderr, stdout empty', async () => {
    const result = await cli(['status', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("unknown option '--bogus'");
  });

  it('with --json a usage error is one envelope on stdout', async () => {
    const result = await cli(['--json', 'nonsense']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ ok: false, error: expect.objectContaining({ code: 'USAGE', kind: 'usage', message: expect.stringContaining("unknown command 'nonsense'") }) });
  });

  it('no command prints the help and exits 2', async () => {
    const result = await cli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: batch-snowflake');
  });

  it.each([
    [['--password', 'hunter2', 'status'], 'SNOWFLAKE_PASSWORD'],
    [['init', '--rest-api-key', 'hunter2'], 'BATCH_REST_API_KEY'],
  ])('refuses a secret flag %j and never echoes it', async (argv, envName) => {
    const result = await cli([...argv, '--json']);
    expect(result.code).toBe(2);
    const { error } = JSON.parse(result.stdout) as { error: { code: string; suggestion: string } };
    expect(error.code).toBe('SECRET_AS_FLAG');
    expect(error.suggestion).toContain(envName);
    expect(result.stdout + result.stderr).not.toContain('hunter2');
  });

  it('zod validation names the flag', async () => {
    const result = await cli(['init', '--view-sql', 'v.sql', '--json'], async () => ({ result: null }));
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).error).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('--view-name: --view-sql needs --view-name') });
  });
});

describe('running a command', () => {
  it('passes parsed options and the context, and prints the result envelope', async () => {
    let seen: { options: unknown; context: CommandContext } | undefined;
    const result = await cli(
      ['init', '--id-column', 'ID', '--date-columns', 'a, b', '--no-initial-sync', '-c', 'dev', '--role', 'R', '--config', 'cfg.json', '--yes', '--json'],
      async (options, context) => {
        seen = { options, context };
        return { result: { created: 3 }, text: 'done' };
      },
    );
    expect(result).toMatchObject({ code: 0, stdout: `${JSON.stringify({ ok: true, result: { created: 3 } })}\n` });
    expect(seen!.options).toMatchObject({ idColumn: 'ID', dateColumns: ['a', 'b'], initialSync: false, dryRun: false, skipImage: false });
    expect(seen!.context).toMatchObject({ configPath: '/tmp/project/cfg.json', json: true, yes: true, interactive: false, connectionFlags: { connection: 'dev', role: 'R' } });
  });

  it('human mode prints the text on stdout and the exit code the command chose', async () => {
    const result = await cli(['status'], async () => ({ result: { verdict: 'failing' }, text: 'failing: task suspended', exitCode: 5 }));
    expect(result).toMatchObject({ code: 5, stdout: 'failing: task suspended\n' });
  });

  it.each([
    ['a UserError → its kind\'s exit code', new UserError('permission', 'NO_GRANT', 'Role R cannot create tasks.', { suggestion: 'GRANT CREATE TASK ON SCHEMA S TO ROLE R;' }), 4, /Role R cannot create tasks[\s\S]*GRANT CREATE TASK/],
    ['Ctrl-C at a prompt → 130', Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' }), 130, /Cancelled/],
    ['a bug → internal error, exit 1', new TypeError('cannot read properties of undefined'), 1, /Internal error: cannot read[\s\S]*bug in batch-snowflake/],
  ])('%s', async (_name, thrown, exitCode, stderr) => {
    const result = await cli(['pause'], async () => {
      throw thrown;
    });
    expect(result.code).toBe(exitCode);
    expect(result.stderr).toMatch(stderr);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack without --verbose
  });

  it('a command whose implementation is not built fails with a UserError', async () => {
    const error = await loadImplementation('no-such-command').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: 'COMMAND_NOT_AVAILABLE', kind: 'internal' });
  });

  it('context.snowflake resolves the connection from flags and env (missing password without a TTY is a usage error)', async () => {
    const result = await cli(['status', '--account', 'acct', '--user', 'u', '--json'], async (_options, context) => {
      await context.snowflake.resolve();
      return { result: null };
    }, { HOME: '/nonexistent-home', SNOWFLAKE_HOME: '/nonexistent-home/.snowflake' });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).error).toMatchObject({ code: 'PASSWORD_MISSING' });
  });
});
