/** Output helpers (src/adapters/ui/output.ts) and the interactivity decision (src/cli/global-options.ts). */
import { describe, expect, it } from 'vitest';
import { decideInteractive } from '../../src/cli/global-options.js';
import { createOutput, type OutputOptions } from '../../src/adapters/ui/output.js';

function capture(isTTY: boolean, options: Partial<OutputOptions> = {}) {
  const text = { stdout: '', stderr: '' };
  const output = createOutput({
    json: false,
    verbose: false,
    env: {},
    stdout: { write: (s: string) => (text.stdout += s), isTTY },
    stderr: { write: (s: string) => (text.stderr += s), isTTY },
    ...options,
  });
  return { output, text };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

describe('output', () => {
  it('human lines go to stderr; the result text to stdout', () => {
    const { output, text } = capture(false);
    output.info('Connecting');
    output.warn('file too open');
    output.result({ a: 1 }, 'all good');
    expect(text.stderr).toBe('Connecting\n⚠ file too open\n');
    expect(text.stdout).toBe('all good\n');
  });

  it('--json: exactly one envelope on stdout, progress still on stderr', () => {
    const { output, text } = capture(false, { json: true });
    output.success('Created stream');
    output.result({ created: ['STREAM'] }, 'ignored in json mode');
    expect(JSON.parse(text.stdout)).toEqual({ ok: true, result: { created: ['STREAM'] } });
    expect(text.stdout.trim().split('\n')).toHaveLength(1);
    expect(text.stderr).toContain('Created stream');
  });

  it('failure: envelope with --json, message and suggestion on stderr otherwise', () => {
    const body = { code: 'X', kind: 'sql' as const, message: 'It broke.', suggestion: 'Run this.' };
    const json = capture(false, { json: true });
    json.output.failure(body);
    expect(JSON.parse(json.text.stdout)).toEqual({ ok: false, error: body });
    const human = capture(false);
    human.output.failure(body);
    expect(human.text.stderr).toBe('✖ It broke.\n  → Run this.\n');
    expect(human.text.stdout).toBe('');
  });

  it('debug lines only with --verbose', () => {
    const quiet = capture(false);
    quiet.output.debug('detail');
    const verbose = capture(false, { verbose: true });
    verbose.output.debug('detail');
    expect(quiet.text.stderr).toBe('');
    expect(verbose.text.stderr).toBe('detail\n');
  });

  it('steps without a TTY print one line when done, or the failed label', async () => {
    const { output, text } = capture(false);
    expect(await output.step('Creating stream', async () => 42, (n) => `Created stream (${n})`)).toBe(42);
    await expect(output.step('Creating task', async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(text.stderr).toBe('✔ Created stream (42)\n✖ Creating task\n');
  });

  it('NO_COLOR removes colours even when colours are forced; FORCE_COLOR adds them', () => {
    const forced = capture(true, { env: { FORCE_COLOR: '1' } });
    forced.output.success('ok');
    const plain = capture(true, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    plain.output.success('ok');
    expect(forced.text.stderr).toMatch(ANSI);
    expect(plain.text.stderr).not.toMatch(ANSI);
  });
});

describe('decideInteractive', () => {
  const tty = { stdinIsTTY: true, stdoutIsTTY: true, env: {} };
  it.each([
    ['both TTYs', undefined, false, tty, true],
    ['stdin piped', undefined, false, { ...tty, stdinIsTTY: false }, false],
    ['stdout piped', undefined, false, { ...tty, stdoutIsTTY: false }, false],
    ['CI=true', undefined, false, { ...tty, env: { CI: 'true' } }, false],
    ['CI=false', undefined, false, { ...tty, env: { CI: 'false' } }, true],
    ['--json', undefined, true, tty, false],
    ['--interactive wins over no TTY', true, false, { ...tty, stdinIsTTY: false }, true],
    ['--no-interactive wins over TTYs', false, false, tty, false],
  ] as const)('%s', (_name, flag, json, terminal, expected) => {
    expect(decideInteractive(flag, json, terminal)).toBe(expected);
  });
});
