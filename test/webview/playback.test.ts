// The player and the playback bar in a real headless Chromium under the panel's CSP, at 620 px and 1200 px: the
// controls have their accessible names, the keyboard drives them, the step readout follows, a burst of seeks
// reaches the views as one change per frame, and nothing is wider than the panel.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import {
  ARTIFACTS,
  componentTest,
  frames,
  noProblems,
  openComponents,
  overflowing,
  useComponents,
} from './componentHarness';

const harness = useComponents();

/** A card holding a player over 1,000 steps and its bar; `window.t` keeps them and counts the changes heard. */
async function mountBar(page: Page): Promise<void> {
  await page.evaluate(() => {
    const { Player, PlaybackBar } = (window as any).lab;
    const player = new Player(1000);
    const bar = new PlaybackBar(player);
    const t = { player, bar, changes: 0 };
    player.onChange(() => t.changes++);
    const card = document.createElement('section');
    card.className = 'card';
    card.append(bar.root);
    document.getElementById('root')!.append(card);
    (window as any).t = t;
  });
  await frames(page);
}

const readout = (page: Page) => page.textContent('.step-readout');

for (const width of [620, 1200]) {
  componentTest(`playback bar at ${width} px: named controls, keyboard, readout, nothing cut off`, async () => {
    const o = await openComponents(harness, 'dark', width, 200);
    const { page } = o;
    await mountBar(page);
    for (const name of ['Play', 'Step back', 'Step forward'])
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, `a button named ${name}`);
    assert.equal(await page.getByRole('slider', { name: 'Step' }).count(), 1);
    assert.equal(await page.getByRole('combobox', { name: 'Speed' }).count(), 1);
    assert.equal(await page.getByRole('switch', { name: 'Loop' }).count(), 1);
    assert.equal(await readout(page), 'step 0 of 1,000');

    await page.getByRole('button', { name: 'Step forward' }).click();
    await frames(page);
    assert.equal(await readout(page), 'step 1 of 1,000');
    const slider = page.getByRole('slider', { name: 'Step' });
    await slider.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await frames(page);
    assert.equal(await readout(page), 'step 4 of 1,000');
    assert.equal(await slider.getAttribute('aria-valuetext'), 'step 4 of 1,000');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('End');
    await frames(page);
    assert.equal(await readout(page), 'step 1,000 of 1,000');
    await page.keyboard.press('Home');
    await frames(page);
    assert.equal(await readout(page), 'step 0 of 1,000');

    // Space plays (the button becomes Pause) and the step advances; Space again pauses.
    await page.keyboard.press(' ');
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    await page.waitForFunction(() => (window as any).t.player.state.step > 5);
    await page.keyboard.press(' ');
    await page.getByRole('button', { name: 'Play' }).waitFor();
    const stopped = await page.evaluate(() => (window as any).t.player.state.step);
    await frames(page);
    assert.equal(await readout(page), `step ${stopped} of 1,000`);

    // Clicking Pause/Play with the mouse does the same.
    await page.getByRole('button', { name: 'Play' }).click();
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Play' }).waitFor();

    assert.deepEqual(await overflowing(page, '.card, .playback'), [], 'the bar fits the panel');
    const outside = await page.evaluate(() => {
      const box = document.querySelector('.playback')!.getBoundingClientRect();
      return Array.from(document.querySelectorAll('.playback > *, .playback-buttons > *, .playback-options > *'))
        .map((e) => [e.tagName, e.getBoundingClientRect()] as const)
        .filter(([, r]) => r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.width === 0)
        .map(([tag]) => tag);
    });
    assert.deepEqual(outside, [], 'every control is inside the bar and laid out');
    await page.locator('.card').screenshot({ path: resolve(ARTIFACTS, `playback-${width}-dark.png`) });
    await noProblems(o);
    await page.close();
  });
}

componentTest('player: a burst of seeks reaches the listeners as one change per frame; End of play stops', async () => {
  const o = await openComponents(harness, 'light', 620, 200);
  const { page } = o;
  await mountBar(page);
  const heard = await page.evaluate(async () => {
    const t = (window as any).t;
    t.changes = 0;
    // 500 seeks in one task, as a fast slider drag can deliver: the views must draw once, not 500 times.
    for (let k = 1; k <= 500; k++) t.player.seek(k);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return { changes: t.changes, step: t.player.state.step };
  });
  assert.deepEqual(heard, { changes: 1, step: 500 });

  // Played at 1,000 steps/s from step 990 without Loop, the player stops at the last step, paused.
  await page.evaluate(() => {
    const t = (window as any).t;
    t.player.setSpeed(1000);
    t.player.seek(990);
    t.player.play();
  });
  await page.getByRole('button', { name: 'Play' }).waitFor();
  assert.equal(await readout(page), 'step 1,000 of 1,000');
  // With Loop on, play from step 995 wraps past the end to the start and keeps playing.
  await page.getByRole('switch', { name: 'Loop' }).click();
  await page.evaluate(() => {
    const t = (window as any).t;
    t.player.seek(995);
    t.player.play();
  });
  await page.waitForFunction(() => {
    const s = (window as any).t.player.state;
    return s.loop && s.playing && s.step < 500;
  });
  await page.evaluate(() => (window as any).t.player.pause());
  await page.locator('.card').screenshot({ path: resolve(ARTIFACTS, 'playback-620-light.png') });
  await noProblems(o);
  await page.close();
});
