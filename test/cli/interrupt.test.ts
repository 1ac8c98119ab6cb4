/** Ctrl-C (SIGINT) while a command runs: the command's signal aborts and the CLI exits 130, cleanly. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repo } from './fixtures/ensure-built.js';

const child = path.join(repo, 'test/cli/fixtures/sigint-child.mjs');
beforeAll(ensureBuilt, 120_000);

function interrupt(mode: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (mode !== 'stall' && stderr.includes('READY\n') && !proc.killed) proc.kill('SIGINT');
    });
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('Ctrl-C', () => {
  it('aborts the running command and exits 130 without a stack trace', async () => {
    const { code, stderr } = await interrupt('cooperative');
    expect(code).toBe(130);
    expect(stderr).toContain('Interrupted.');
    expect(stderr).toContain('Cancelled');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('still exits 130 when the command ignores the abort', async () => {
    const { code, stderr } = await interrupt('ignore-signal');
    expect(code).toBe(130);
    expect(stderr).toContain('Interrupted.');
  });

  it('a command that stalls with nothing pending is reported as an internal error, not success', async () => {
    const { code, stderr } = await interrupt('stall');
    expect(code).toBe(1);
    expect(stderr).toContain('Internal error: the command stopped before finishing');
  });
});
