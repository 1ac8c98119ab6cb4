/**
 * Helpers for the scheduler recipes of docs/recipes/ (README "Running without SPCS: scheduler recipes"): read and
 * parse them, stand in for what the scheduler does (cron's shell and PATH, GitHub Actions' `${{ … }}`
 * expressions, a Kubernetes Secret), and read what reached the Batch sandbox.
 */
import { mkdtemp, readFile, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_DIR } from '../support/docker-base-image.js';
import { runProcess, type CliResult } from '../init-bad-input/run-cli.js';
import { BIN } from '../wizard-tty/wizard-tty.js';

export const RECIPES_DIR = path.join(PROJECT_DIR, 'docs', 'recipes');

export function readRecipe(name: string): Promise<string> {
  return readFile(path.join(RECIPES_DIR, name), 'utf8');
}

/** One field of a crontab time spec (crontab(5)): `*`, N, N-M, lists of those, each with an optional /STEP. */
const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;
const CRON_RANGES: Array<[number, number]> = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];

export interface CronJobLine {
  fields: string[];
  command: string;
}

/** A crontab's variable lines (NAME=value) and job lines (5 time fields, then the command), comments skipped. */
export function parseCrontab(text: string): { env: Record<string, string>; jobs: CronJobLine[] } {
  const env: Record<string, string> = {};
  const jobs: CronJobLine[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const variable = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (variable) {
      env[variable[1]!] = variable[2]!;
      continue;
    }
    const parts = line.split(/\s+/);
    const fields = parts.slice(0, 5);
    fields.forEach((field, i) => {
      if (!CRON_FIELD.test(field)) throw new Error(`crontab time field ${i + 1} "${field}" is not valid in: ${line}`);
      for (const n of field.match(/\d+/g) ?? []) {
        const [low, high] = CRON_RANGES[i]!;
        // a step (/N) is not a value of the field
        if (!field.includes(`/${n}`) && (Number(n) < low || Number(n) > high)) throw new Error(`crontab field ${i + 1} value ${n} outside ${low}-${high}`);
      }
    });
    // cron turns an unescaped % into a newline (crontab(5)): a command must not contain one.
    const command = line.replace(/^(\S+\s+){5}/, '');
    if (command.includes('%')) throw new Error(`crontab command contains %, which cron turns into a newline: ${command}`);
    jobs.push({ fields, command });
  }
  return { env, jobs };
}

/** A folder holding only a `batch-snowflake` launcher (the built CLI), like a global npm install's bin folder. */
export async function cliBinDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'recipes-bin-'));
  await symlink(BIN, path.join(dir, 'batch-snowflake'));
  return dir;
}

/** Runs a command the way cron and GitHub Actions do: `/bin/sh -c COMMAND` (Actions: bash -e), with exactly this env. */
export function runShell(command: string, options: { cwd: string; env: Record<string, string | undefined>; shell?: string[]; timeoutMs?: number }): Promise<CliResult> {
  const [shell, ...shellArgs] = options.shell ?? ['/bin/sh', '-c'];
  return runProcess(shell!, [...shellArgs, command], { ...options, timeoutMs: options.timeoutMs ?? 120_000 });
}

const EXPRESSION = /\$\{\{\s*([a-z]+)\.([A-Za-z0-9_]+)\s*\}\}/g;

/** The `${{ context.NAME }}` expressions in a value, e.g. [['secrets', 'BATCH_REST_API_KEY']]. */
export function expressionsIn(value: string): Array<[string, string]> {
  return [...value.matchAll(EXPRESSION)].map((m) => [m[1]!, m[2]!]);
}

/** Evaluates `${{ secrets.X }}` / `${{ vars.X }}` as GitHub Actions does; an unknown name fails (Actions would give ''). */
export function evaluateExpressions(value: string, contexts: Record<string, Record<string, string>>): string {
  return value.replace(EXPRESSION, (_all, context: string, name: string) => {
    const found = contexts[context]?.[name];
    if (found === undefined) throw new Error(`the workflow uses \${{ ${context}.${name} }}, which the test does not provide`);
    return found;
  });
}

/** custom_id → attributes (typed values) of every profile the Batch sandbox holds. */
export async function sandboxProfiles(apiUrl: string): Promise<Map<string, Record<string, { type: string; value: unknown }>>> {
  const response = await fetch(`${apiUrl}/_sandbox/profiles`);
  const list = (await response.json()) as Array<{ identifiers: { custom_id: string }; attributes: Record<string, { type: string; value: unknown }> }>;
  return new Map(list.map((p) => [p.identifiers.custom_id, p.attributes]));
}
