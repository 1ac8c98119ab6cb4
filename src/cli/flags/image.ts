/**
 * `batch-snowflake image build`: the worker image from the installed package, exactly as init builds it,
 * for teams that build images in their own CI (issue 20). Implementation: src/commands/image-build.ts.
 */
import { defineCommand } from '../command-spec.js';
import { imageBuildSchema } from '../../commands/options.js';

export const imageBuildCommand = defineCommand({
  name: 'image build',
  summary: 'Build the worker image (linux/amd64, offline) as init does; --push sends it to the account, --context-dir stages it for your CI',
  schema: imageBuildSchema,
  configure: (command) =>
    command
      .option('--tag <TAG>', 'image tag (default: the tag in batch-snowflake.json, else the package version)')
      .option('--base-image <IMAGE>', 'Node base image to build from (default node:20-slim; env BATCH_SNOWFLAKE_BASE_IMAGE)')
      .option('--push', "log in to the account's image registry and push (needs batch-snowflake.json and a connection)")
      .option('--context-dir <DIR>', 'only stage the build context in DIR (new or empty) and print the docker commands to run there')
      .addHelpText('after', [
        '',
        'Examples:',
        '  batch-snowflake image build --tag 1.2.0',
        '  batch-snowflake image build --tag 1.2.0 --push',
        '  batch-snowflake image build --tag 1.2.0 --context-dir ./worker-image   # then build in your own CI',
        '  batch-snowflake init --skip-image --image-tag 1.2.0                     # use an image pushed that way',
      ].join('\n')),
});
