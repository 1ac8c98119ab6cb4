/**
 * What building and pushing the worker image needs, the same for `init` and `image build`: the docker
 * client (only docker's own environment passed on), the staged build context of the installed package,
 * the base image (BATCH_SNOWFLAKE_BASE_IMAGE, or --base-image). The registry login uses the session token of
 * the command's own connection (apply/registry-credentials.ts).
 */
import { readFileSync } from 'node:fs';
import type { ImageDeps } from '../apply/docker-steps.js';
import { packageRootFrom, prepareWorkerBuildContext } from '../adapters/docker/build-context.js';
import { contentImageTag } from '../adapters/docker/context-digest.js';
import { Docker } from '../adapters/docker/docker.js';
import type { CommandContext } from '../runtime/context.js';

const DOCKER_ENV = ['DOCKER_CONFIG', 'DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'PATH', 'HOME'];

export interface ImageCommandDeps extends Pick<ImageDeps, 'prepareContext' | 'baseImage'> {
  docker: () => Docker;
  /** Stages the build context into a folder of the caller's (image build --context-dir). */
  stageContextIn: (dir: string) => ReturnType<ImageDeps['prepareContext']>;
  packageVersion: string;
  /** The tag an image of this package's build context gets by default: `<version>-<content hash>`. */
  defaultImageTag?: () => Promise<string>;
}

function packageVersion(): string {
  const root = packageRootFrom(import.meta.url);
  return (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { version: string }).version;
}

export function imageDeps(context: CommandContext): ImageCommandDeps {
  const env = Object.fromEntries(DOCKER_ENV.filter((k) => context.env[k] !== undefined).map((k) => [k, context.env[k]]));
  return {
    packageVersion: packageVersion(),
    defaultImageTag: () => contentImageTag(packageRootFrom(import.meta.url), packageVersion()),
    docker: () => new Docker({ env }),
    prepareContext: () => prepareWorkerBuildContext({ projectDir: packageRootFrom(import.meta.url) }),
    stageContextIn: (dir) => prepareWorkerBuildContext({ projectDir: packageRootFrom(import.meta.url), outDir: dir }),
    baseImage: context.env.BATCH_SNOWFLAKE_BASE_IMAGE || undefined,
  };
}
