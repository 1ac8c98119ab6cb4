/**
 * The ONLY module that imports @inquirer/prompts (anchors.md C.5 §2). The wizard talks to the `Prompter`
 * interface, so tests can script answers (and a later tmux suite drives the real one).
 * - Prompts render on stderr: stdout keeps only the result (and the --json envelope).
 * - Ctrl-C (inquirer's ExitPromptError) and an aborted signal become UserError kind `aborted` (exit 130);
 *   the wizard writes nothing before its last step, so files are left as they were.
 */
import { UserError } from '../../../shared/errors.js';

export interface Choice<T> {
  value: T;
  name: string;
  description?: string;
  checked?: boolean;
  disabled?: boolean | string;
}

export interface Prompter {
  input(question: { message: string; default?: string; validate?: (value: string) => true | string }): Promise<string>;
  /** Hidden input (nothing echoed, no mask). */
  password(question: { message: string; validate?: (value: string) => true | string }): Promise<string>;
  select<T>(question: { message: string; choices: Array<Choice<T>>; default?: T }): Promise<T>;
  /** Searchable list: `source(term)` returns the choices matching what was typed. */
  search<T>(question: { message: string; source: (term: string | undefined) => Promise<Array<Choice<T>>> | Array<Choice<T>> }): Promise<T>;
  checkbox<T>(question: { message: string; choices: Array<Choice<T>> }): Promise<T[]>;
  confirm(question: { message: string; default?: boolean }): Promise<boolean>;
}

export const cancelled = (cause?: unknown): UserError =>
  new UserError('aborted', 'CANCELLED', 'Cancelled. Nothing was changed and no file was written.', { cause });

function isPromptExit(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'AbortError';
}

/** Runs one prompt; Ctrl-C or the abort signal becomes a clean `aborted` UserError. */
async function guarded<T>(signal: AbortSignal, ask: () => Promise<T>): Promise<T> {
  if (signal.aborted) throw cancelled();
  try {
    return await ask();
  } catch (error) {
    if (isPromptExit(error) || signal.aborted) throw cancelled(error);
    throw error;
  }
}

export interface InquirerPrompterOptions {
  signal: AbortSignal;
  /** Where prompts render; default process.stderr. */
  output?: NodeJS.WritableStream;
  input?: NodeJS.ReadableStream;
}

/** The real prompter (loaded lazily: @inquirer/prompts is only imported when the first question is asked). */
export function createInquirerPrompter(options: InquirerPrompterOptions): Prompter {
  const { signal } = options;
  const context = { output: options.output ?? process.stderr, ...(options.input ? { input: options.input } : {}), signal };
  const lib = () => import('@inquirer/prompts');
  return {
    input: (q) =>
      guarded(signal, async () => (await lib()).input({ message: q.message, ...(q.default !== undefined ? { default: q.default } : {}), ...(q.validate ? { validate: q.validate } : {}) }, context)),
    password: (q) =>
      guarded(signal, async () => (await lib()).password({ message: q.message, mask: false, ...(q.validate ? { validate: q.validate } : {}) }, context)),
    select: <T>(q: { message: string; choices: Array<Choice<T>>; default?: T }) =>
      guarded(signal, async () => (await lib()).select<T>({ message: q.message, choices: q.choices, ...(q.default !== undefined ? { default: q.default } : {}), pageSize: 12 }, context)),
    search: <T>(q: { message: string; source: (term: string | undefined) => Promise<Array<Choice<T>>> | Array<Choice<T>> }) =>
      guarded(signal, async () => (await lib()).search<T>({ message: q.message, source: async (term) => q.source(term), pageSize: 12 }, context)),
    checkbox: <T>(q: { message: string; choices: Array<Choice<T>> }) =>
      guarded(signal, async () => (await lib()).checkbox<T>({ message: q.message, choices: q.choices, pageSize: 15 }, context)),
    confirm: (q) => guarded(signal, async () => (await lib()).confirm({ message: q.message, default: q.default ?? true }, context)),
  };
}
