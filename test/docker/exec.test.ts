import { describe, expect, it } from 'vitest';
import { assertNoSecretInArgs, outputTail, redact, runCommand } from '../../src/adapters/proc/exec.js';
import { recordPrograms } from '../support/argv-recorder.js';

describe('runCommand (real processes)', () => {
  it('captures stdout, stderr and the exit code without a shell', async () => {
    const result = await runCommand('sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(result.exitCode).toBe(3);
    expect(result.failed).toBe(true);
    expect(result.stdout).toBe('out');
    expect(result.stderr).toBe('err');
    expect(result.output.split('\n').sort()).toEqual(['err', 'out']);
    const literal = await runCommand('echo', ['$HOME; rm -rf /']);
    expect(literal.stdout).toBe('$HOME; rm -rf /');
  });

  it('refuses to start a command with a secret in its arguments', async () => {
    await expect(runCommand('echo', ['--password=hunter22'], { secretStdin: 'hunter22' })).rejects.toThrow(/secret in its arguments/);
    await expect(runCommand('echo', ['x', 'tok-hunter22'], { secrets: ['hunter22'] })).rejects.toThrow(/secret in its arguments/);
    expect(() => assertNoSecretInArgs(['login', 'host'], ['hunter22'])).not.toThrow();
  });

  it('passes the secret on stdin and redacts it from output and the reported command', async () => {
    const lines: string[] = [];
    const result = await runCommand('sh', ['-c', 'read -r pw; echo "got:$pw"; echo "env:$TOKEN" >&2'], {
      secretStdin: 'pa55-w0rd',
      env: { TOKEN: 'env-token-1' },
      secrets: ['env-token-1'],
      onLine: (line) => lines.push(line),
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('got:***');
    expect(result.stderr).toBe('env:***');
    expect(lines.sort()).toEqual(['env:***', 'got:***']);
    expect(result.output).not.toContain('pa55-w0rd');
    expect(result.command).toBe(`sh -c 'read -r pw; echo "got:$pw"; echo "env:$TOKEN" >&2'`);
  });

  it('gives a stdin secret to the command on stdin only: its argv (recorded by a PATH shim) never holds it', async () => {
    const secret = `stdin-secret-${process.pid}`;
    const recorder = await recordPrograms(['sh']);
    try {
      const result = await runCommand('sh', ['-c', 'read -r pw; echo "read ${#pw} bytes"'], { secretStdin: secret, env: { PATH: recorder.PATH } });
      expect(result.stdout).toBe(`read ${secret.length} bytes`);
      expect(await recorder.calls()).toEqual([{ program: 'sh', args: ['-c', 'read -r pw; echo "read ${#pw} bytes"'], stdinBytes: secret.length }]);
    } finally {
      await recorder.cleanup();
    }
  });

  it('reports a missing executable and a timeout', async () => {
    const missing = await runCommand('no-such-command-bs', ['x']);
    expect(missing).toMatchObject({ notFound: true, failed: true, exitCode: undefined });
    const slow = await runCommand('sleep', ['30'], { timeoutMs: 200 });
    expect(slow).toMatchObject({ timedOut: true, failed: true, notFound: false });
    expect(slow.durationMs).toBeLessThan(10_000);
  });

  it('honours PATH from the env option when looking up the executable', async () => {
    const result = await runCommand('docker', ['version'], { env: { PATH: '/nonexistent-bin' } });
    expect(result.notFound).toBe(true);
  });

  it('redact and outputTail', () => {
    expect(redact('a s3 b s3', ['s3', ''])).toBe('a *** b ***');
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    expect(outputTail({ output: `${lines}\n\n` }, 3)).toBe('line 27\nline 28\nline 29');
  });
});
