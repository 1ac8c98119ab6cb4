/**
 * Who `docker login` authenticates as at the account's registry (reference §2.4): with password
 * authentication, the Snowflake user and password; with a programmatic access token, the user and the
 * token. Other authenticators (key pair, SSO, OAuth) have no secret docker can use here, so the user is told
 * how to push the image another way. The secret only ever reaches docker on stdin.
 */
import { dockerError } from '../../shared/errors.js';
import type { SnowflakeConnectionOptions } from '../../shared/snowflake/types.js';
import type { RegistryCredentials } from './docker-steps.js';

export function registryCredentialsFrom(options: SnowflakeConnectionOptions): RegistryCredentials {
  const authenticator = (options.authenticator ?? 'SNOWFLAKE').toUpperCase();
  const username = options.username;
  if (username && (authenticator === 'SNOWFLAKE' || authenticator === 'USERNAME_PASSWORD_MFA') && options.password) {
    return { username, secret: options.password };
  }
  if (username && authenticator === 'PROGRAMMATIC_ACCESS_TOKEN' && options.token) return { username, secret: options.token };
  throw dockerError('REGISTRY_LOGIN_UNAVAILABLE', `docker cannot log in to the Snowflake registry with the ${authenticator.toLowerCase()} authenticator of this connection.`, {
    suggestion:
      'Use a connection with a password or a programmatic access token for init, or log docker in yourself ' +
      '(snow spcs image-registry login), push the worker image, and rerun with --skip-image --image-tag TAG.',
  });
}
