/**
 * What every wizard step gets: output, the prompter (null when not interactive), --yes, the environment,
 * and the list of answers still missing in non-interactive mode. `choose()` implements the rule of
 * anchors.md B.11 §1: a given flag removes its prompt; otherwise prompt (with the remembered or computed
 * default) when interactive; otherwise take the remembered/computed default and say so, or record the
 * flag as missing so that all of them are listed at once.
 */
import { usageError } from '../../shared/errors.js';
import type { Output } from '../adapters/ui/output.js';
import type { Prompter } from '../adapters/ui/prompts.js';

export interface MissingAnswer {
  flag: string;
  what: string;
}

export interface Wizard {
  output: Output;
  /** null: never prompt (no TTY, CI, --json or --no-interactive). */
  prompter: Prompter | null;
  yes: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal: AbortSignal;
  missing: MissingAnswer[];
}

export interface Question<T> {
  flag: string;
  what: string;
  /** From the command line: wins, no prompt. */
  given?: T | undefined;
  /** From batch-snowflake.json (the previous run). */
  remembered?: T | undefined;
  /** Computed default (e.g. DATE columns pre-selected); used when nothing was given or remembered. */
  suggested?: T | undefined;
  /** Asks interactively; receives the default to offer. */
  prompt?: (defaultValue: T | undefined) => Promise<T>;
  show?: (value: T) => string;
}

export async function choose<T>(w: Wizard, q: Question<T>): Promise<T | undefined> {
  if (q.given !== undefined) return q.given;
  const fallback = q.remembered ?? q.suggested;
  if (w.prompter && q.prompt) return q.prompt(fallback);
  if (fallback !== undefined) {
    const shown = q.show ? q.show(fallback) : String(fallback);
    w.output.info(`${w.output.style.dim('·')} ${q.what}: ${shown} ${w.output.style.dim(`(${q.remembered !== undefined ? 'saved' : 'default'}; ${q.flag} to change)`)}`);
    return fallback;
  }
  w.missing.push({ flag: q.flag, what: q.what });
  return undefined;
}

/** Non-interactive: fails with every missing answer listed as a flag (exit code 2). */
export function assertNothingMissing(w: Wizard): void {
  if (w.missing.length === 0) return;
  const unique = [...new Map(w.missing.map((m) => [m.flag, m])).values()];
  const lines = unique.map((m) => `  ${m.flag.padEnd(28)} ${m.what}`);
  throw usageError('MISSING_ANSWERS', `Not running interactively, and these answers are missing:\n${lines.join('\n')}`, {
    suggestion: `Pass them as flags (batch-snowflake init ${unique.map((m) => `${m.flag.split(' ')[0]} …`).join(' ')}), save them in batch-snowflake.json by running init once interactively, or run in a terminal.`,
    details: { missing: unique },
  });
}

/** Confirmation: --yes, else a prompt, else (non-interactive) a missing `--yes`. */
export async function confirmOrMissing(w: Wizard, message: string, flag = '--yes'): Promise<boolean> {
  if (w.yes) return true;
  if (w.prompter) return w.prompter.confirm({ message, default: true });
  w.missing.push({ flag, what: 'confirm applying the plan' });
  return false;
}
