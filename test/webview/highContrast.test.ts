// The new components together in VS Code's high-contrast theme at 620 px, in a real headless Chromium under the
// panel's CSP: borders take the theme's contrast colour, the text its foreground, nothing is cut off.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import {
  ARTIFACTS,
  recorded,
  componentTest,
  frames,
  noProblems,
  openComponents,
  overflowing,
  useComponents,
} from './componentHarness';

const meta = recorded.init.optimizers.find((o) => o.id === 'h-adam')!;

const harness = useComponents();

componentTest('high contrast at 620 px: playback bar, optimizer card and slice controls follow the theme', async () => {
  const o = await openComponents(harness, 'high-contrast', 620, 900);
  const { page } = o;
  const kind = await page.evaluate(
    (card) => {
      const { Player, PlaybackBar, OptimizerCard, SliceControls, readTheme } = (window as any).lab;
      const bar = new PlaybackBar(new Player(1000));
      const opt = new OptimizerCard(card, { change() {} });
      const slice = new SliceControls({ change() {} });
      const panel = document.createElement('section');
      panel.className = 'card';
      panel.append(bar.root, slice.root, opt.root);
      document.getElementById('root')!.append(panel);
      slice.set({
        variables: ['x', 'y', 'z'],
        xAxis: 0,
        yAxis: 1,
        mode: 'centre',
        point: [0, 0, 0.5],
        hasMinimum: false,
        canFollow: false,
      });
      return readTheme().kind;
    },
    {
      id: meta.id,
      label: meta.label,
      colour: '#3794ff',
      rule: meta.rule,
      paper: meta.paper,
      power: true,
      params: meta.params.map((p) => ({ ...p, value: p.default })),
    },
  );
  await frames(page);
  assert.equal(kind, 'highContrast');
  const colours = await page.evaluate(() => ({
    cardBorder: getComputedStyle(document.querySelector('.opt-card')!).borderTopColor,
    title: getComputedStyle(document.querySelector('.opt-card h3')!).color,
    readout: getComputedStyle(document.querySelector('.step-readout')!).color,
  }));
  assert.deepEqual(colours, {
    cardBorder: 'rgb(111, 195, 223)',
    title: 'rgb(255, 255, 255)',
    readout: 'rgba(255, 255, 255, 0.7)',
  });
  assert.deepEqual(await overflowing(page, '.card, .playback, .slice, .opt-card, .param-grid'), []);
  await page.locator('.card').screenshot({ path: resolve(ARTIFACTS, 'components-620-high-contrast.png') });
  await noProblems(o);
  await page.close();
});
