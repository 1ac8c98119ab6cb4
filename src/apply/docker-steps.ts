/**
 * The image steps of a plan, through the docker adapter (src/adapters/docker): `docker login` to the account's registry
 * (host from SHOW IMAGE REPOSITORIES, lowercase, §2.4) as `0sessiontoken` with the connection's session token on
 * stdin (registry-credentials.ts) — first, so a refused login fails before the slow build —, then build the
 * worker image for linux/amd64 from a staged build context, then log in again with the token read at that moment
 * and push: a build longer than the session token's validity must not push with the token of the first login.
 * The repository URL is looked up at apply time when the plan created the repository.
 */
import { dockerError } from '../../shared/errors.js';
import { imageRef, registryHost } from '../adapters/docker/image-ref.js';
import type { Docker } from '../adapters/docker/docker.js';
import type { WorkerBuildContext } from '../adapters/docker/build-context.js';
import { showExact, text } from '../introspect/show.js';
import type { DockerBuildStep, DockerLoginStep, DockerPushStep, ImageRef } from '../plan/types.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';

export interface RegistryCredentials {
  username: string;
  /** The session token: goes on docker's stdin only. */
  secret: string;
}

export interface ImageDeps {
  session: SnowflakeSession;
  docker: Docker;
  /** Stages the worker's build context (src/adapters/docker/build-context.ts). */
  prepareContext: () => Promise<WorkerBuildContext>;
  /** BASE_IMAGE build argument (a local or mirrored Node image); default: the Dockerfile's. */
  baseImage?: string | undefined;
  registryCredentials: () => Promise<RegistryCredentials>;
}

export class ImageSteps {
  private repositoryUrl: string | null = null;
  pushed: { ref: string; digest: string } | null = null;

  constructor(private readonly deps: ImageDeps) {}

  private async url(image: ImageRef): Promise<string> {
    if (image.repositoryUrl) return image.repositoryUrl;
    if (this.repositoryUrl) return this.repositoryUrl;
    const [row] = await showExact(this.deps.session, 'IMAGE REPOSITORIES', image.repository, true);
    const url = text(row?.repository_url);
    if (!url) {
      throw dockerError('REPOSITORY_URL_MISSING', `SHOW IMAGE REPOSITORIES does not list ${image.repository.join('.')}, so its registry URL is unknown.`, {
        suggestion: 'Check that the image repository exists and that the role has READ on it, then rerun batch-snowflake init.',
      });
    }
    this.repositoryUrl = url;
    return url;
  }

  async reference(image: ImageRef): Promise<string> {
    return imageRef(await this.url(image), image.tag, image.name);
  }

  async build(step: DockerBuildStep): Promise<string> {
    const ref = await this.reference(step.image);
    const context = await this.deps.prepareContext();
    try {
      await this.deps.docker.build({
        contextDir: context.dir,
        dockerfile: context.dockerfile,
        tag: ref,
        platform: step.platform,
        ...(this.deps.baseImage ? { buildArgs: { BASE_IMAGE: this.deps.baseImage } } : {}),
      });
    } finally {
      await context.cleanup();
    }
    return ref;
  }

  async login(step: DockerLoginStep | DockerPushStep): Promise<string> {
    const host = registryHost(await this.url(step.image));
    const credentials = await this.deps.registryCredentials();
    await this.deps.docker.login(host, credentials.username, credentials.secret);
    return host;
  }

  async push(step: DockerPushStep): Promise<string> {
    const ref = await this.reference(step.image);
    await this.login(step);
    this.pushed = { ref, ...(await this.deps.docker.push(ref)) };
    return ref;
  }
}
