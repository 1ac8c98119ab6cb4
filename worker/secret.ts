import { inspect } from 'node:util';

const REDACTED = '[REDACTED]';

/**
 * A secret value (Batch REST API key, Snowflake password, OAuth token, private key passphrase) that cannot
 * leak by accident: String(), JSON.stringify(), template literals and console.log/util.inspect all print
 * [REDACTED]. Call reveal() only where the value is actually used (an HTTP header, the driver's options).
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/**
 * Replaces every occurrence of the given secret values in a text (error messages from libraries, response
 * bodies) by [REDACTED]. Values shorter than 4 characters are ignored, as they would mangle ordinary text.
 */
export function redact(text: string, secrets: ReadonlyArray<Secret | string | undefined | null>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret === undefined || secret === null) continue;
    const value = typeof secret === 'string' ? secret : secret.reveal();
    if (value.length < 4) continue;
    result = result.split(value).join(REDACTED);
  }
  return result;
}

export { REDACTED };
