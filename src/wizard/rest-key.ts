/**
 * The Batch REST API key: from env BATCH_REST_API_KEY, from stdin (--rest-api-key-stdin), or a hidden
 * prompt — never a flag value (the CLI refuses --rest-api-key). It is held in memory only, bound into the
 * secret/credentials statements at apply time, and never printed, logged or saved.
 */
import { usageError } from '../../shared/errors.js';
import type { Wizard } from './context.js';

export const REST_KEY_ENV = 'BATCH_REST_API_KEY';

export async function readAllStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function clean(value: string, source: string): string {
  const key = value.replace(/\r?\n$/, '').trim();
  if (key.length === 0) throw usageError('REST_KEY_EMPTY', `The Batch REST API key from ${source} is empty.`, { suggestion: `Provide the key (Batch dashboard → Settings → General) via ${REST_KEY_ENV} or stdin.` });
  if (/[\s\u0000-\u001f]/.test(key)) throw usageError('REST_KEY_INVALID', `The Batch REST API key from ${source} contains whitespace or control characters.`, { suggestion: 'Copy the key again, without spaces or line breaks.' });
  return key;
}

/** The key when it was supplied without prompting (env or stdin); undefined otherwise. */
export async function suppliedRestKey(w: Wizard, fromStdin: boolean, readStdin: () => Promise<string>): Promise<string | undefined> {
  if (fromStdin) return clean(await readStdin(), 'stdin');
  const env = w.env[REST_KEY_ENV];
  return env === undefined || env === '' ? undefined : clean(env, REST_KEY_ENV);
}

/** Asks with hidden input when interactive; otherwise records the missing key. */
export async function promptRestKey(w: Wizard): Promise<string | undefined> {
  if (!w.prompter) {
    w.missing.push({ flag: `${REST_KEY_ENV}=… (env) or --rest-api-key-stdin`, what: 'Batch REST API key (needed to create the secret)' });
    return undefined;
  }
  const key = await w.prompter.password({ message: 'Batch REST API key (hidden; stored as a Snowflake SECRET, never in a file):', validate: (v) => (v.trim() ? true : 'the key is needed') });
  return clean(key, 'the prompt');
}
