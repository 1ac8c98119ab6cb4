/**
 * A scripted Prompter for tests: answers are consumed in order and each is checked against the question's
 * message (substring); an unexpected extra question fails the test (changesets' mockPrompt, anchors.md C.2).
 * An answer of CANCEL simulates Ctrl-C.
 */
import { cancelled, type Prompter } from '../../src/adapters/ui/prompts.js';

export const CANCEL = Symbol('cancel');
export interface ScriptedAnswer {
  match: string;
  answer: unknown;
}

export function createScriptedPrompter(script: ScriptedAnswer[], asked: string[] = []): Prompter {
  const next = async <T>(kind: string, message: string): Promise<T> => {
    asked.push(`${kind}: ${message}`);
    const item = script.shift();
    if (!item) throw new Error(`unexpected ${kind} prompt: ${message}`);
    if (!message.includes(item.match)) throw new Error(`expected a prompt matching "${item.match}", got ${kind}: ${message}`);
    if (item.answer === CANCEL) throw cancelled();
    return item.answer as T;
  };
  return {
    input: (q) => next('input', q.message),
    password: (q) => next('password', q.message),
    select: (q) => next('select', q.message),
    search: (q) => next('search', q.message),
    checkbox: (q) => next('checkbox', q.message),
    confirm: (q) => next('confirm', q.message),
  };
}
