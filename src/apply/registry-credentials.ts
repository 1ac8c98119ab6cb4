/**
 * Who `docker login` authenticates as at the account's image registry: the user `0sessiontoken` with the live
 * session token of the CLI's own Snowflake connection, the way Snowflake documents it for its own CLI:
 * `snow spcs image-registry token --format=JSON | docker login <org>-<account>.registry.snowflakecomputing.com
 * -u 0sessiontoken --password-stdin` (https://docs.snowflake.com/en/developer-guide/snowflake-cli/services/manage-images,
 * "Get environment tokens for registry authentication"; the token is the connection's, `expires_in` 3600).
 * One path for every authenticator (password, key pair, PAT, OAuth, MFA, SSO): whatever signed the CLI in, the
 * session it opened is the credential. The token is read when docker logs in, never earlier (a long build must
 * not push with an expired one), and only ever reaches docker on stdin.
 */
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import type { RegistryCredentials } from './docker-steps.js';

export const SESSION_TOKEN_USER = '0sessiontoken';

export async function registryCredentialsFor(session: SnowflakeSession): Promise<RegistryCredentials> {
  return { username: SESSION_TOKEN_USER, secret: await session.sessionToken() };
}
