/**
 * `batch-snowflake image build`: the worker image from the installed package, built exactly as `init` builds
 * it (same staged context, linux/amd64, `--network none`). Three ways:
 * - no flag: a local image `batch-snowflake-worker:<tag>`;
 * - `--push`: logs in to the account's registry and pushes to the repository of batch-snowflake.json, the
 *   same steps init runs (src/plan/task-steps.ts imageSteps);
 * - `--context-dir DIR`: only stages the context (Dockerfile, dist/, production node_modules) and prints the
 *   docker commands that work from DIR, for teams that build images in their own CI.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { dockerError, UserError, usageError } from '../../shared/errors.js';
import { SKIP_IMAGE_HINT } from '../adapters/docker/docker-errors.js';
import { DEFAULT_IMAGE_NAME } from '../adapters/docker/image-ref.js';
import { ImageSteps } from '../apply/docker-steps.js';
import { registryCredentialsFor } from '../apply/registry-credentials.js';
import { loadProjectConfig, type ProjectConfig } from '../config/project-config.js';
import { resolveInstall } from '../plan/names.js';
import { imageReference } from '../plan/render-plan.js';
import { imageSteps, workerImage } from '../plan/task-steps.js';
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import { imageDeps, type ImageCommandDeps } from './image-deps.js';
import type { ImageBuildOptions } from './options.js';

export async function run(options: ImageBuildOptions, context: CommandContext): Promise<CommandOutcome> {
  return runImageBuild(options, context, imageDeps(context));
}

/** The `docker build` line that works from a staged context folder. */
export function dockerBuildLine(ref: string, baseImage: string | undefined): string {
  const buildArg = baseImage ? ` --build-arg BASE_IMAGE=${baseImage}` : '';
  return `docker build --platform linux/amd64 --network none -f Dockerfile${buildArg} -t ${ref} .`;
}

function chooseTag(options: ImageBuildOptions, config: ProjectConfig | null, deps: ImageCommandDeps): string {
  return options.tag ?? config?.project.imageTag ?? config?.deployedImageTag ?? deps.packageVersion;
}

async function stageOnly(options: ImageBuildOptions & { contextDir: string }, context: CommandContext, deps: ImageCommandDeps, tag: string, config: ProjectConfig | null): Promise<CommandOutcome> {
  const dir = path.resolve(context.cwd, options.contextDir);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw usageError('CONTEXT_DIR_NOT_EMPTY', `${dir} is not empty; nothing was written to it.`, {
      suggestion: 'Pass a new or empty folder to --context-dir (its files would otherwise be mixed with the image context).',
    });
  }
  const staged = await context.output.step(`Staging the build context in ${dir}`, () => deps.stageContextIn(dir), (c) => `Staged ${c.files} files (${(c.bytes / 2 ** 20).toFixed(1)} MiB)`);
  const baseImage = options.baseImage ?? deps.baseImage;
  const target = config ? imageReference(workerImage(resolveInstall(config).names, tag, null)) : `${DEFAULT_IMAGE_NAME}:${tag}`;
  const ref = target.startsWith('<') ? `<repository_url>/${DEFAULT_IMAGE_NAME}:${tag}` : target;
  const commands = [
    `cd ${dir}`,
    dockerBuildLine(ref, baseImage),
    ...(config ? ['docker login <registry host> --username <snowflake user> --password-stdin   # secret on stdin', `docker push ${ref}`] : []),
  ];
  const notes = config
    ? ['<repository_url>: `SHOW IMAGE REPOSITORIES` → repository_url; <registry host>: its part before the first "/".', `Then: batch-snowflake init --skip-image --image-tag ${tag}`]
    : [`Push it to your account's image repository, then: batch-snowflake init --skip-image --image-tag ${tag}`];
  return { result: { contextDir: staged.dir, tag, reference: ref, commands }, text: ['Run from any linux/amd64 or emulating docker host:', ...commands.map((c) => `  ${c}`), ...notes].join('\n') };
}

export async function runImageBuild(options: ImageBuildOptions, context: CommandContext, deps: ImageCommandDeps): Promise<CommandOutcome> {
  const config = await loadProjectConfig(context.configPath);
  const tag = chooseTag(options, config, deps);
  if (options.contextDir) return stageOnly({ ...options, contextDir: options.contextDir }, context, deps, tag, config);
  const baseImage = options.baseImage ?? deps.baseImage;
  const docker = deps.docker();
  await context.output.step('Checking Docker', () => docker.check().catch((error: unknown) => Promise.reject(forImageBuild(error))), (v) => `Docker ${v.server} answers`);

  if (!options.push) {
    const ref = `${DEFAULT_IMAGE_NAME}:${tag}`;
    const staged = await deps.prepareContext();
    try {
      const info = await context.output.step(`Building ${ref} (linux/amd64, offline)`, () => docker.build({ contextDir: staged.dir, dockerfile: staged.dockerfile, tag: ref, platform: 'linux/amd64', ...(baseImage ? { buildArgs: { BASE_IMAGE: baseImage } } : {}) }), () => `Built ${ref}`);
      return { result: { reference: ref, tag, id: info.id, pushed: null }, text: `Built ${ref}. Push it with --push (to the repository in batch-snowflake.json), or tag and push it yourself.` };
    } finally {
      await staged.cleanup();
    }
  }

  if (!config) {
    throw usageError('NOT_INSTALLED', `--push needs batch-snowflake.json to know the image repository (looked for ${context.configPath}).`, {
      suggestion: 'Run `batch-snowflake init` first, point to the file with --config PATH, or build without --push and push yourself.',
    });
  }
  const { names } = resolveInstall(config);
  const [login, build, push] = imageSteps(workerImage(names, tag, null), names);
  const session = await context.output.step('Connecting to Snowflake', () => context.snowflake.connect(), () => 'Connected to Snowflake');
  try {
    const images = new ImageSteps({ session, docker, prepareContext: deps.prepareContext, baseImage, registryCredentials: () => registryCredentialsFor(session) });
    const host = await context.output.step(login.summary, () => images.login(login), (h) => `Logged in to ${h}`);
    const ref = await context.output.step(build.summary, () => images.build(build), (r) => `Built ${r}`);
    await context.output.step(push.summary, () => images.push(push), (r) => `Pushed ${r}`);
    if (!images.pushed) throw dockerError('DOCKER_PUSH_FAILED', `docker push ${ref} reported nothing`);
    return {
      result: { reference: ref, tag, registry: host, digest: images.pushed.digest },
      text: `Pushed ${ref} (${images.pushed.digest}).\nUse it: batch-snowflake init --skip-image --image-tag ${tag}`,
    };
  } finally {
    await session.destroy();
  }
}

/**
 * Docker missing or stopped: the adapter's way out names init's --skip-image, which `image build` does not
 * have; here it is to rerun, or to stage the context and build where docker runs.
 */
function forImageBuild(error: unknown): unknown {
  if (!(error instanceof UserError) || !error.suggestion?.includes(SKIP_IMAGE_HINT)) return error;
  const suggestion = error.suggestion.replace(SKIP_IMAGE_HINT, 'or stage the build context with `batch-snowflake image build --context-dir DIR` and build it with the printed docker commands where docker runs');
  return new UserError(error.kind, error.code, error.message, { suggestion, ...(error.details ? { details: error.details } : {}), cause: error });
}
