/**
 * Image references for a Snowflake image repository (snowflake-spcs.md §2.4):
 * repository URL `<registry-host>/<db>/<schema>/<repository>`, image `<repository URL>/<image>:<tag>`,
 * and the form a service specification uses, `/<db>/<schema>/<repository>/<image>:<tag>`.
 * The registry host is always lowercase, and docker stores login credentials under the host exactly
 * as typed, so login and push must use the same (lowercase) spelling.
 */
import { usageError } from '../../../shared/errors.js';

export const DEFAULT_IMAGE_NAME = 'batch-snowflake-worker';

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export interface RepositoryUrl {
  /** Lowercase registry host (with port if any). */
  host: string;
  /** Lowercase path after the host, e.g. `db/schema/repo`. */
  path: string;
}

export function parseRepositoryUrl(repositoryUrl: string): RepositoryUrl {
  const trimmed = repositoryUrl.trim().replace(/^https?:\/\//i, '').replace(/\/+$/, '').toLowerCase();
  const slash = trimmed.indexOf('/');
  const host = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const repoPath = slash < 0 ? '' : trimmed.slice(slash + 1);
  const components = repoPath.split('/');
  if (host.length === 0 || repoPath.length === 0 || !components.every((c) => PATH_COMPONENT.test(c))) {
    throw usageError('BAD_REPOSITORY_URL', `"${repositoryUrl}" is not an image repository URL (<registry host>/<db>/<schema>/<repository>)`, {
      suggestion: 'Copy repository_url from `SHOW IMAGE REPOSITORIES IN SCHEMA <db>.<schema>`',
    });
  }
  return { host, path: repoPath };
}

/** The registry host to `docker login` to, lowercase. */
export function registryHost(repositoryUrl: string): string {
  return parseRepositoryUrl(repositoryUrl).host;
}

function checkImage(imageName: string, tag: string): void {
  if (!TAG.test(tag)) {
    throw usageError('BAD_IMAGE_TAG', `"${tag}" is not a valid image tag (letters, digits, _ . -; at most 128; not starting with . or -)`);
  }
  if (!imageName.split('/').every((c) => PATH_COMPONENT.test(c))) {
    throw usageError('BAD_IMAGE_NAME', `"${imageName}" is not a valid image name (lowercase letters, digits, . _ -)`);
  }
}

/** `<host>/<db>/<schema>/<repo>/<image>:<tag>`, for docker build -t / push. */
export function imageRef(repositoryUrl: string, tag: string, imageName = DEFAULT_IMAGE_NAME): string {
  checkImage(imageName, tag);
  const { host, path } = parseRepositoryUrl(repositoryUrl);
  return `${host}/${path}/${imageName}:${tag}`;
}

/** `/<db>/<schema>/<repo>/<image>:<tag>`, the image field of a service specification. */
export function specImagePath(repositoryUrl: string, tag: string, imageName = DEFAULT_IMAGE_NAME): string {
  checkImage(imageName, tag);
  return `/${parseRepositoryUrl(repositoryUrl).path}/${imageName}:${tag}`;
}
