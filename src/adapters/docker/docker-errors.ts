/**
 * Maps a failed docker command to a UserError (kind `docker`, exit code 6) that says what happened,
 * shows the tail of docker's output, and names the next step. Matching is on docker's own wording,
 * which differs between the classic builder, BuildKit and client versions, hence the alternatives.
 */
import { dockerError, type UserError } from '../../../shared/errors.js';
import { outputTail, type CommandResult } from '../proc/exec.js';

export type DockerOperation = 'check' | 'build' | 'login' | 'push' | 'pull' | 'tag';

const DAEMON_DOWN = /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|docker daemon is not running|dial unix .*docker\.sock: connect/i;
const SOCKET_PERMISSION = /permission denied while trying to connect to the Docker daemon/i;
const REGISTRY_UNREACHABLE = /connection refused|no such host|i\/o timeout|TLS handshake|server gave HTTP response to HTTPS client|x509:|network is unreachable|context deadline exceeded/i;
const AUTH_REJECTED = /401|unauthorized|incorrect username or password|authentication required|invalid credentials/i;
const NOT_LOGGED_IN = /no basic auth credentials|authentication required|unauthorized/i;
const ACCESS_DENIED = /denied|forbidden|insufficient|not authorized|403/i;
const BASE_IMAGE_MISSING = /pull access denied|manifest unknown|manifest for .* not found|failed to resolve source metadata|repository does not exist|failed to do request|dial tcp|no such host/i;
const PLATFORM_MISMATCH = /does not match the specified platform|no match for platform|exec format error/i;

/** A docker error with the command and the tail of its output appended to the message. */
export function failureWithOutput(code: string, message: string, result: CommandResult, suggestion?: string): UserError {
  const tail = outputTail(result);
  const why = result.timedOut ? ' (timed out)' : result.exitCode === undefined ? '' : ` (exit code ${result.exitCode})`;
  return dockerError(code, `${message}${why}\n$ ${result.command}${tail ? `\n${tail}` : ''}`, {
    ...(suggestion ? { suggestion } : {}),
    details: { command: result.command, exitCode: result.exitCode ?? null, timedOut: result.timedOut },
  });
}

function environmentFailure(result: CommandResult): UserError | undefined {
  if (result.notFound) {
    return dockerError('DOCKER_NOT_INSTALLED', 'docker is not installed: no `docker` command was found on PATH', {
      suggestion: 'Install Docker Desktop (macOS, Windows) or Docker Engine (Linux), then rerun; or pass --skip-image to skip the image step',
    });
  }
  if (SOCKET_PERMISSION.test(result.output)) {
    return failureWithOutput('DOCKER_PERMISSION_DENIED', 'docker is installed but this user may not use its daemon', result,
      'Add your user to the docker group (`sudo usermod -aG docker $USER`, then log in again), or run as a user who can use docker');
  }
  if (DAEMON_DOWN.test(result.output)) {
    return failureWithOutput('DOCKER_NOT_RUNNING', 'docker is installed but its daemon is not running', result,
      'Start Docker Desktop, or on Linux run `sudo systemctl start docker`, then rerun (or pass --skip-image)');
  }
  return undefined;
}

/** The UserError for a failed docker command. `target` is the host (login) or image reference. */
export function classifyDockerFailure(operation: DockerOperation, result: CommandResult, target = ''): UserError {
  const environment = environmentFailure(result);
  if (environment) return environment;
  const output = result.output;
  switch (operation) {
    case 'check':
      return failureWithOutput('DOCKER_UNAVAILABLE', 'docker does not answer', result,
        'Check that `docker version` works in this shell, then rerun (or pass --skip-image)');
    case 'login':
      if (!result.timedOut && REGISTRY_UNREACHABLE.test(output)) {
        return failureWithOutput('DOCKER_REGISTRY_UNREACHABLE', `docker login could not reach ${target}`, result,
          'Check the registry host (repository_url from SHOW IMAGE REPOSITORIES, lowercase) and your network or proxy');
      }
      return failureWithOutput('DOCKER_LOGIN_FAILED',
        `docker login failed for ${target}: the registry refused this connection's session token (user 0sessiontoken)`,
        result,
        AUTH_REJECTED.test(output)
          ? 'Check that the registry host (repository_url of SHOW IMAGE REPOSITORIES) belongs to the account this connection signs in to and that the role can see the image repository (READ or WRITE); then rerun. To push yourself: snow spcs image-registry login, then rerun with --skip-image --image-tag TAG'
          : undefined);
    case 'push':
    case 'pull':
      if (NOT_LOGGED_IN.test(output)) {
        return failureWithOutput('DOCKER_NOT_LOGGED_IN', `docker ${operation} ${target} was refused: not logged in to its registry`, result,
          'Log in to the registry host first (same lowercase host as the image reference)');
      }
      if (ACCESS_DENIED.test(output)) {
        return failureWithOutput('DOCKER_PUSH_DENIED', `docker ${operation} ${target} was denied by the registry`, result,
          'The role needs WRITE on the image repository: GRANT WRITE ON IMAGE REPOSITORY <db>.<schema>.<repository> TO ROLE <role>');
      }
      if (REGISTRY_UNREACHABLE.test(output)) {
        return failureWithOutput('DOCKER_REGISTRY_UNREACHABLE', `docker ${operation} ${target} could not reach the registry`, result);
      }
      return failureWithOutput(operation === 'push' ? 'DOCKER_PUSH_FAILED' : 'DOCKER_PULL_FAILED', `docker ${operation} ${target} failed`, result);
    case 'build':
      if (PLATFORM_MISMATCH.test(output)) {
        return failureWithOutput('DOCKER_PLATFORM', `docker build of ${target} failed on the linux/amd64 platform`, result,
          'Use a base image that has a linux/amd64 variant (SPCS runs linux/amd64 only)');
      }
      if (BASE_IMAGE_MISSING.test(output)) {
        return failureWithOutput('DOCKER_BASE_IMAGE_MISSING', `docker build of ${target} could not get its base image`, result,
          'Pull the base image first (`docker pull --platform linux/amd64 node:20-slim`), or build from one you have with --base-image IMAGE (a Node ≥ 20 image; env BATCH_SNOWFLAKE_BASE_IMAGE works too)');
      }
      return failureWithOutput('DOCKER_BUILD_FAILED', `docker build of ${target} failed`, result);
    case 'tag':
      return failureWithOutput('DOCKER_TAG_FAILED', `docker tag ${target} failed`, result);
  }
}
