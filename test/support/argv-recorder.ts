/**
 * Recording shims: a folder to put first on PATH holding, for each named program, a small bash script that
 * appends its argv and how many bytes arrived on stdin to a log, then execs the real program (resolved on the
 * PATH given at creation) with the same arguments and the same stdin bytes. A test then asserts on exactly
 * what was spawned, instead of sampling /proc and hoping to catch a short-lived process.
 *
 * stdin is read into a shell variable (memory only, never a file) to count it, then handed to the real
 * program through a pipe (bash process substitution), so `docker login --password-stdin` still gets its
 * password. A TTY on stdin is passed through unread. Shell variables cannot hold NUL bytes: fine for the
 * text (passwords, scripts) the CLI sends.
 */
import { constants } from 'node:fs';
import { access, chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface RecordedCall {
  program: string;
  args: string[];
  /** Bytes the program received on stdin; null when stdin was a terminal (not read). */
  stdinBytes: number | null;
}

export interface ArgvRecorder {
  /** The folder holding the shims. */
  dir: string;
  /** PATH with the shim folder first, then the PATH the real programs were resolved on. */
  PATH: string;
  /** Every recorded call so far, in the order they started. */
  calls(): Promise<RecordedCall[]>;
  cleanup(): Promise<void>;
}

async function resolveOnPath(program: string, searchPath: string): Promise<string> {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, program);
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
  }
  throw new Error(`${program} is not on PATH (${searchPath}); cannot put a recording shim in front of it`);
}

const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/** One record = NUL-terminated fields: program, stdin byte count (or "tty"), argc, then each argument. */
function shimScript(program: string, real: string, log: string): string {
  return `#!/bin/bash
# Recording shim (test/support/argv-recorder.ts): log argv and stdin size, then exec the real ${program}.
if [ -t 0 ]; then
  printf '%s\\0' ${quote(program)} tty "$#" "$@" >> ${quote(log)}
  exec ${quote(real)} "$@"
fi
# Builtins only from here on: the shim folder is first on PATH (a shimmed \`cat\` would call itself).
IFS= read -r -d '' data
bytes=$(LC_ALL=C; printf '%s' "\${#data}")
printf '%s\\0' ${quote(program)} "$bytes" "$#" "$@" >> ${quote(log)}
if [ -z "$data" ]; then exec ${quote(real)} "$@" </dev/null; fi
exec ${quote(real)} "$@" < <(printf '%s' "$data")
`;
}

function parseLog(text: string): RecordedCall[] {
  const fields = text.split('\0');
  const calls: RecordedCall[] = [];
  let i = 0;
  while (i + 2 < fields.length) {
    const program = fields[i]!;
    const stdin = fields[i + 1]!;
    const argc = Number(fields[i + 2]);
    calls.push({ program, stdinBytes: stdin === 'tty' ? null : Number(stdin), args: fields.slice(i + 3, i + 3 + argc) });
    i += 3 + argc;
  }
  return calls;
}

export async function recordPrograms(programs: readonly string[], searchPath = process.env.PATH ?? ''): Promise<ArgvRecorder> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bs-argv-shims-'));
  const log = path.join(dir, 'calls.log');
  await writeFile(log, '');
  for (const program of programs) {
    const shim = path.join(dir, program);
    await writeFile(shim, shimScript(program, await resolveOnPath(program, searchPath), log));
    await chmod(shim, 0o755);
  }
  return {
    dir,
    PATH: [dir, searchPath].join(path.delimiter),
    calls: async () => parseLog(await readFile(log, 'utf8')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
