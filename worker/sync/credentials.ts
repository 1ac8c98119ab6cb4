import { UserError } from '../../shared/errors.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import type { RestApiKeySource } from '../options-types.js';
import { Secret } from '../secret.js';

/**
 * The REST API key: from env BATCH_REST_API_KEY (an SPCS secret, already parsed by the options), or read
 * from Batch's credentials table (PROJECT_KEY, REST_API_KEY columns) with the project key as a bound
 * parameter. The table name is a validated identifier; identifiers cannot be bound.
 */
export async function resolveRestApiKey(
  session: SnowflakeSession,
  source: RestApiKeySource,
  projectKey: string,
): Promise<Secret | undefined> {
  if (source.kind === 'env') return source.key;
  if (source.kind === 'none') return undefined;
  const result = await session.query<{ REST_API_KEY: unknown }>(
    `SELECT REST_API_KEY FROM ${source.table.sql} WHERE PROJECT_KEY = ?`,
    [projectKey],
  );
  const value = result.rows[0]?.REST_API_KEY;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UserError('usage', 'CREDENTIALS_NOT_FOUND', `No REST_API_KEY for project ${projectKey} in ${source.table.sql}.`, {
      suggestion: `INSERT INTO ${source.table.sql} (PROJECT_KEY, REST_API_KEY) VALUES ('${projectKey}', '<your REST API key>'); or set BATCH_REST_API_KEY.`,
    });
  }
  return new Secret(value.trim());
}
