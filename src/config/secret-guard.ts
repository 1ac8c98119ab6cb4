/**
 * Last line of defence for "secrets never go into a config file": refuses any key that names a secret and
 * any value that contains a secret the caller holds (or a PEM private key), wherever it is nested.
 */
import { usageError } from '../../shared/errors.js';

/** Key names (lowercased, without _ and -) that would hold a secret. `secret` alone is a SECRET object's name. */
const SECRET_KEY = /(password|passwd|passcode|token|apikey|privatekey|passphrase|clientsecret|secretstring|secretvalue)/;

export function looksLikeSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replaceAll(/[_\-\s]/g, ''));
}

function refuse(path: string, where: string, why: string): never {
  throw usageError('CONFIG_SECRET_REFUSED', `Refusing to use ${path}: ${where} ${why}. Secrets never belong in batch-snowflake.json.`, {
    suggestion: 'Remove it from the file; give the Batch REST API key via env BATCH_REST_API_KEY, stdin or the hidden prompt, and Snowflake credentials via connections.toml.',
  });
}

export function assertNoSecrets(value: unknown, path: string, forbiddenValues: readonly string[] = [], where = '(top level)'): void {
  if (typeof value === 'string') {
    if (value.includes('-----BEGIN') && value.includes('PRIVATE KEY')) refuse(path, where, 'holds a private key');
    if (forbiddenValues.some((secret) => secret.length > 0 && value.includes(secret))) refuse(path, where, 'holds a secret value');
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertNoSecrets(item, path, forbiddenValues, `${where}[${i}]`));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const at = where === '(top level)' ? key : `${where}.${key}`;
      if (looksLikeSecretKey(key)) refuse(path, `key "${at}"`, 'looks like a secret');
      assertNoSecrets(child, path, forbiddenValues, at);
    }
  }
}
