// Optimizer cards and the inline definition field in a real headless Chromium under the panel's CSP, at 620 px and
// 1200 px: each card shows its colour, rule, paper and hyperparameters; the log slider of η reaches the registry's
// min and max exactly and its middle is their geometric mean; dragging reports values continuously and the release
// as final; typed values move the slider; the host's echoes never overwrite a field being typed in, checked by
// typing 40 characters at 20 characters per second while echoes (some stale) arrive.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { OptimizerMeta } from '../../src/shared/runShapes';
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

const metas: readonly OptimizerMeta[] = recorded.init.optimizers;

/** The registry's metadata as card input, as the integration maps it: defaults as values, the power flag. */
function cardInput(id: string, colour: string): unknown {
  const m = metas.find((o) => o.id === id)!;
  return {
    id,
    label: m.label,
    colour,
    rule: m.rule,
    paper: m.paper,
    power: m.transforms.some((t) => t.id.startsWith('power')),
    params: m.params.map((p) => ({ ...p, value: p.default })),
  };
}
const CARDS = [
  cardInput('h-adam', '#3794ff'),
  cardInput('gd', '#d18616'),
  cardInput('rprop', '#89d185'),
  cardInput('ngd', '#b180d7'),
];

const harness = useComponents();

async function mountCards(page: Page): Promise<void> {
  await page.evaluate((cards) => {
    const { OptimizerCard } = (window as any).lab;
    const t = { changes: [] as unknown[], cards: [] as unknown[] } as any;
    const grid = document.createElement('div');
    grid.className = 'card-list';
    for (const input of cards) {
      const card = new OptimizerCard(input, {
        change: (id: string, name: string, value: unknown, final: boolean) =>
          t.changes.push({ id, name, value, final }),
      });
      t.cards.push(card);
      grid.append(card.root);
    }
    document.getElementById('root')!.append(grid);
    (window as any).t = t;
  }, CARDS);
  await frames(page);
}

const card = (page: Page, id: string) => page.locator(`.opt-card[data-optimizer="${id}"]`);

for (const [width, theme] of [
  [620, 'dark'],
  [1200, 'light'],
] as const) {
  componentTest(
    `optimizer cards at ${width} px (${theme}): colour, rule, paper, sliders; nothing cut off`,
    async () => {
      const o = await openComponents(harness, theme, width, 1400);
      const { page } = o;
      await mountCards(page);
      const hAdam = card(page, 'h-adam');
      assert.equal(await hAdam.getByRole('heading', { level: 3 }).textContent(), 'h-Adam');
      assert.equal(
        await hAdam.locator('.card-swatch').evaluate((e) => getComputedStyle(e).backgroundColor),
        'rgb(55, 148, 255)',
      );
      const meta = metas.find((m) => m.id === 'h-adam')!;
      assert.equal(await hAdam.locator('.rule').textContent(), meta.rule);
      assert.equal(await hAdam.locator('.paper').textContent(), meta.paper);
      assert.match((await hAdam.locator('.power-note').textContent())!, /^What H does: .*h = sign\(g\)·\|g\|\^H/);
      assert.equal(await card(page, 'gd').locator('.power-note').count(), 0, 'no H, no note');
      // Every numeric parameter has a slider and a value field named by its symbol; choices are lists.
      for (const p of meta.params) {
        assert.equal(await hAdam.getByRole('slider', { name: p.symbol, exact: true }).count(), 1, p.symbol);
        assert.equal(await hAdam.getByRole('textbox', { name: `${p.symbol} value` }).count(), 1, p.symbol);
      }
      assert.equal(await card(page, 'ngd').getByRole('combobox', { name: '‖·‖' }).count(), 1);
      assert.deepEqual(await overflowing(page, '.opt-card, .param-grid, .opt-card header'), []);
      const root = await page.evaluate(() => {
        const r = document.getElementById('root')!;
        return [r.scrollWidth, r.clientWidth];
      });
      assert.ok(root[0] <= root[1], `the cards fit the panel: ${root}`);
      await page.locator('.card-list').screenshot({ path: resolve(ARTIFACTS, `cards-${width}-${theme}.png`) });
      await noProblems(o);
      await page.close();
    },
  );
}

componentTest(
  'optimizer card: the log slider of η maps its ends to min and max; drags report live, then final',
  async () => {
    const o = await openComponents(harness, 'dark', 620, 1400);
    const { page } = o;
    await mountCards(page);
    const eta = card(page, 'h-adam').getByRole('slider', { name: 'η', exact: true });
    const field = card(page, 'h-adam').getByRole('textbox', { name: 'η value' });
    const last = () => page.evaluate(() => (window as any).t.changes.at(-1));
    await eta.focus();
    await page.keyboard.press('Home');
    assert.deepEqual(await last(), { id: 'h-adam', name: 'eta', value: 1e-6, final: true });
    assert.equal(await field.inputValue(), '1e-6');
    assert.equal(await eta.getAttribute('aria-valuetext'), '1e-6');
    await page.keyboard.press('End');
    assert.deepEqual(await last(), { id: 'h-adam', name: 'eta', value: 10, final: true });
    assert.equal(await field.inputValue(), '10');
    // Half-way on a log scale is the geometric mean, 10^((−6 + 1) / 2) = 10^−2.5, to three digits.
    await eta.evaluate((e: HTMLInputElement) => {
      e.value = '500';
      e.dispatchEvent(new Event('input', { bubbles: true }));
    });
    assert.equal((await last()).value, Number((10 ** -2.5).toPrecision(3)));
    // β₁ is linear: its ends are 0 and 0.9999.
    const beta1 = card(page, 'h-adam').getByRole('slider', { name: 'β₁', exact: true });
    await beta1.focus();
    await page.keyboard.press('Home');
    assert.equal((await last()).value, 0);
    await page.keyboard.press('End');
    assert.equal((await last()).value, 0.9999);

    // A mouse drag along η's track: values while dragging (not final), one final on release.
    await page.evaluate(() => ((window as any).t.changes = []));
    const box = (await eta.boundingBox())!;
    await page.mouse.move(box.x + 6, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) await page.mouse.move(box.x + 6 + (i * (box.width - 12)) / 8, box.y + box.height / 2);
    await page.mouse.up();
    const drag = await page.evaluate(() => (window as any).t.changes as { value: number; final: boolean }[]);
    const live = drag.filter((c) => !c.final);
    assert.ok(live.length >= 4, `values while dragging: ${live.length}`);
    assert.ok(
      live.every((c, i) => i === 0 || c.value >= live[i - 1].value),
      'increasing along the drag',
    );
    assert.deepEqual(drag.at(-1), { ...drag.at(-2)!, final: true });
    assert.equal(drag.at(-1)!.value, 10);

    // A typed value moves the slider: 0.05 sits at position round(1000·(log10 0.05 + 6) / 7) = 671.
    await field.click();
    await field.fill('0.05');
    await page.waitForFunction(() => (window as any).t.changes.at(-1)?.value === 0.05);
    assert.deepEqual(await last(), { id: 'h-adam', name: 'eta', value: 0.05, final: true });
    assert.equal(await eta.inputValue(), '671');
    // An out-of-range value is flagged, not sent.
    await field.fill('20');
    await page.waitForFunction(() => document.querySelector('vscode-textfield.param-value[invalid]') !== null);
    assert.equal((await last()).value, 0.05);
    await noProblems(o);
    await page.close();
  },
);

componentTest('inline definition field: 40 characters at 20 chars/s under host echoes, none lost', async () => {
  const o = await openComponents(harness, 'dark', 620, 400);
  const { page } = o;
  const original = 'quadratic(x, y) = x^2 + y^2';
  await page.evaluate((original) => {
    const { definitionEditor } = (window as any).lab;
    const t = { sent: [] as string[], echoes: 0, applied: 0, behind: 0 } as any;
    // The host: each text it receives comes back 20–120 ms after the one before, in order (so it falls behind a
    // fast typist), as the document's text, after an echo
    // of the document as it was before that edit (an older file state); and every 70 ms it re-sends the document
    // as it stands, as a host that echoes on every document change or validation does.
    let queue = Promise.resolve();
    let doc = original;
    t.heartbeat = setInterval(() => {
      t.echoes++;
      if (t.field.echo(doc)) t.applied++;
    }, 70);
    const field = definitionEditor((text: string) => {
      t.sent.push(text);
      const older = t.sent.length > 1 ? t.sent[t.sent.length - 2] : original;
      queue = queue.then(() => new Promise((r) => setTimeout(r, 20 + Math.random() * 100)));
      t.behind++;
      for (const echo of [older, text]) {
        queue = queue.then(() => {
          doc = echo;
          t.echoes++;
          if (field.echo(echo)) t.applied++;
        });
      }
      queue = queue.then(() => {
        t.behind--;
      });
    }, original);
    document.getElementById('root')!.append(field.el);
    t.field = field;
    (window as any).t = t;
  }, original);
  await frames(page);
  const box = page.getByRole('textbox', { name: 'Definition' });
  await box.click();
  await page.keyboard.press('ControlOrMeta+A');
  const typed = 'rosen(x, y) = (1 - x)^2 + 99*(y - x^2)^2';
  assert.equal(typed.length, 40);
  await page.keyboard.type(typed, { delay: 50 });
  // Let every echo arrive while the field still has focus, then leave it and let the last ones arrive.
  await page.waitForFunction(() => (window as any).t.behind === 0);
  assert.equal(await box.inputValue(), typed, 'while focused, no echo replaced the typing');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => (window as any).t.behind === 0);
  const r = await page.evaluate(() => {
    const t = (window as any).t;
    clearInterval(t.heartbeat);
    return { sent: t.sent as string[], echoes: t.echoes as number, value: t.field.el.value as string };
  });
  assert.equal(r.value, typed, 'after the echoes, the field holds every keystroke');
  assert.equal(r.sent.at(-1), typed, 'the host got the whole text');
  for (const s of r.sent) assert.ok(typed.startsWith(s), `every text sent was a state of the typing: ${s}`);
  assert.ok(
    r.sent.length >= 10 && r.echoes >= 40,
    `echoes arrived during the typing: ${r.sent.length} sent, ${r.echoes} echoes`,
  );
  console.log(`# definition field: ${r.sent.length} texts sent while typing, ${r.echoes} echoes received`);
  await page.screenshot({ path: resolve(ARTIFACTS, 'definition-field-dark.png') });
  // Unfocused, the host's text is shown (an edit in the file).
  await page.evaluate(() => (window as any).t.field.echo('f(x, y) = x^2'));
  assert.equal(await box.inputValue(), 'f(x, y) = x^2');
  await noProblems(o);
  await page.close();
});
