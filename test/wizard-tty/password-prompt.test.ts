/**
 * A prompt never sits behind a spinner (issue 12, item 5): with no password configured, `init` asks for it
 * while the "Connecting to Snowflake" step runs. In a real terminal the question must be readable, the
 * spinner line gone while it is asked, and the typed answer must log in.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeStandin } from '../../standins/snowflake/index.js';
import { asking, ensureBuilt, freshFolders, startWizard } from './wizard-tty.js';

const cleanups: Array<() => Promise<void>> = [];
beforeAll(() => ensureBuilt(), 180_000);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** ora's frames (dots): any of them at the start of a line is a spinner drawing there. */
const SPINNER_FRAME = /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] /m;

describe('the Snowflake password prompt of init', () => {
  it('is shown with the "Connecting" spinner stopped, and the typed password logs in', async () => {
    const standin = await startSnowflakeStandin({ seed: 'demo' });
    cleanups.push(() => standin.close());
    const folders = await freshFolders();
    const t = await startWizard(standin, folders, ['--skip-image', '--image-tag', '0.1.0'], { SNOWFLAKE_PASSWORD: undefined });
    cleanups.push(() => t.kill());

    await t.waitFor(asking(`Snowflake password for ${standin.defaultUser.user}`));
    // A spinner redraws its line every 80 ms (ora's dots): a screen read right after the question appears
    // can beat the next frame. So the screen is watched for a few frames' time, not read once; each read
    // must show the question as the last line and no spinner frame anywhere.
    const watchUntil = Date.now() + 400;
    let reads = 0;
    while (Date.now() < watchUntil || reads < 5) {
      const screen = await t.capture();
      const lines = screen.trimEnd().split('\n');
      expect(lines[lines.length - 1]).toMatch(asking('Snowflake password for'));
      expect(screen).not.toMatch(SPINNER_FRAME);
      reads += 1;
    }

    await t.typeSecret(standin.defaultUser.password);
    await t.keys('Enter');
    const after = await t.waitFor(/Connected to Snowflake/);
    expect(after).not.toContain(standin.defaultUser.password);
    await t.waitFor(asking('Which data should be synced'), 30_000);
    await t.keys('C-c');
    expect(await t.waitForExit()).toBe(130);
  });
});
