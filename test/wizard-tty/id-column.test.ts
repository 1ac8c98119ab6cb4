/**
 * Issue 12 §3 in a real terminal: picking a non-unique ID column (FIRST_NAME on the demo seed) is refused
 * with its counts, and the wizard asks for the column again instead of going on; the accepted choice
 * (last write wins) is an explicit answer, and the preview counts the duplicates.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeStandin } from '../../standins/snowflake/index.js';
import type { TmuxSession } from '../support/tmux.js';
import { asking, ensureBuilt, freshFolders, startWizard } from './wizard-tty.js';

const cleanups: Array<() => Promise<void>> = [];
beforeAll(() => ensureBuilt(), 180_000);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function upToIdColumn(): Promise<TmuxSession> {
  const standin = await startSnowflakeStandin({ seed: 'demo' });
  cleanups.push(() => standin.close());
  const folders = await freshFolders();
  const t = await startWizard(standin, folders, ['--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--target', 'DEMO_DB.BATCH_SYNC', '--skip-image', '--image-tag', '0.1.0']);
  cleanups.push(() => t.kill());
  await t.waitFor(asking('What should Batch receive'), 30_000);
  await t.keys('Enter'); // profile attributes (the default)
  await t.waitFor(asking('Which column holds the Batch custom user ID'));
  // CUSTOMER_ID, EMAIL, FIRST_NAME: two rows down.
  await t.keys('Down', 'Down');
  await t.waitFor(/^❯ FIRST_NAME/m);
  await t.keys('Enter');
  return t;
}

describe('init wizard: ID column', () => {
  it('refuses a non-unique ID column and asks for the column again', async () => {
    const t = await upToIdColumn();
    const refused = await t.waitFor(asking('ID column FIRST_NAME is not suitable'));
    expect(refused).toMatch(/✖ ID column FIRST_NAME is not unique: \d+ of 1000 row\(s\) repeat an ID/);
    expect(refused).not.toMatch(asking('Date attributes'));
    await t.keys('Enter'); // default: pick another column
    await t.waitFor(/^\? Which column holds the Batch custom user ID[\s\S]*❯ FIRST_NAME/m);
    await t.keys('Up', 'Up');
    await t.waitFor(/^❯ CUSTOMER_ID/m);
    await t.keys('Enter');
    const next = await t.waitFor(asking('Date attributes'));
    expect(next).toContain('ID column CUSTOMER_ID: unique and never NULL on 1000 rows');
  });

  it('goes on with the column only when the user explicitly accepts last-write-wins, and the preview counts it', async () => {
    const t = await upToIdColumn();
    await t.waitFor(asking('ID column FIRST_NAME is not suitable'));
    await t.keys('Down');
    await t.waitFor(/^❯ Keep FIRST_NAME: I accept that duplicates overwrite each other/m);
    await t.keys('Enter');
    await t.waitFor(asking('Date attributes'));
    await t.keys('Enter');
    await t.waitFor(asking('URL attributes'));
    await t.keys('Enter');
    await t.waitFor(asking('Batch project key'));
    await t.type('pk_ids');
    await t.keys('Enter');
    for (const question of ['Where should the Batch REST API key', 'Compute pool', 'Image repository', 'How often', 'Send every existing row']) {
      await t.waitFor(asking(question));
      await t.keys('Enter');
    }
    const screen = await t.waitFor(/× duplicate_id/);
    expect(screen).toMatch(/^\s+\d+ × duplicate_id: the row repeats an ID/m);
    expect(screen).not.toContain('No validation problems');
  });
});
