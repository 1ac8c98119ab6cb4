/**
 * After `uninstall` (issue 20): the worker image's tags that `init` built on this machine for the install's
 * image repository (`<registry host>/<db>/<schema>/<repository>/batch-snowflake-worker:<tag>`, ≈160 MB each)
 * are listed with their size, and removed when the user agrees (asked on a terminal; `--remove-local-images`
 * for scripts). Without docker (missing or stopped) there is nothing to list and uninstall says nothing.
 */
import type { Docker } from '../adapters/docker/docker.js';
import { imageRef } from '../adapters/docker/image-ref.js';
import type { Prompter } from '../adapters/ui/prompts.js';
import { WORKER_IMAGE_NAME } from '../plan/task-steps.js';

export interface LocalImagesOutcome {
  found: Array<{ ref: string; size: string }>;
  removed: string[];
  lines: string[];
}

export interface LocalImagesInput {
  docker: Docker;
  repositoryUrl: string;
  remove: boolean;
  /** null: no terminal, or --yes (nothing is asked). */
  prompter: Prompter | null;
}

export async function handleLocalImages({ docker, repositoryUrl, remove, prompter }: LocalImagesInput): Promise<LocalImagesOutcome | null> {
  const repository = imageRef(repositoryUrl, 'x', WORKER_IMAGE_NAME).replace(/:x$/, '');
  const found = await docker.listImages(repository);
  if (!found || found.length === 0) return null;
  const listed = found.map((i) => `${i.ref} (${i.size})`).join(', ');
  const agreed = remove || (prompter ? await prompter.confirm({ message: `Remove the ${found.length} local docker tag(s) of the worker image from this machine: ${listed}?`, default: false }) : false);
  if (!agreed) {
    return {
      found, removed: [],
      lines: [`Kept ${found.length} local docker tag(s) of the worker image on this machine: ${listed}.`, `  remove them: docker image rm ${found.map((i) => i.ref).join(' ')}   (or uninstall with --remove-local-images)`],
    };
  }
  const removed: string[] = [];
  for (const image of found) {
    await docker.removeImage(image.ref);
    if (!(await docker.has(image.ref))) removed.push(image.ref);
  }
  const left = found.filter((i) => !removed.includes(i.ref)).map((i) => i.ref);
  const lines = [`Removed ${removed.length} local docker tag(s) of the worker image: ${removed.join(', ')}.`];
  if (left.length > 0) lines.push(`  could not remove ${left.join(', ')} (a container may use it): docker image rm ${left.join(' ')}`);
  return { found, removed, lines };
}
