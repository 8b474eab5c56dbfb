// The trajectory layer in a real headless Chromium under the panel's CSP: laid over the real landscape chart with
// a recorded engine run, its markers move when the step changes (two captures compared pixel by pixel) while the
// chart underneath is not redrawn; arrows of the three kinds draw with their key; and 5 optimizers × 256 lanes ×
// 1,000 steps play, with the frame times written to the log (measured, not asserted).
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
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
import { laneTracks, playbackSteps } from '../../webview/traceTracks';

/** Beale's gradient, by hand (an independent stand-in for the host's): f = Σ (cᵢ − x + x yⁱ)², c = 1.5, 2.25, 2.625. */
function bealeGradient(x: number, y: number): [number, number] {
  let gx = 0;
  let gy = 0;
  [1.5, 2.25, 2.625].forEach((c, k) => {
    const i = k + 1;
    const r = c - x + x * y ** i;
    gx += 2 * r * (y ** i - 1);
    gy += 2 * r * x * i * y ** (i - 1);
  });
  return [gx, gy];
}

/** The recorded traces as layer input (point k at frame k), with −∇f, the power gradient (H = 0.5) and the step. */
function recordedGroups(): unknown[] {
  const colours = ['#3794ff', '#d18616'];
  const run = recorded.runResult;
  const frames = playbackSteps(run.optimizers.map((o) => o.traces));
  return run.optimizers.map((o, g) => {
    // Plain arrays: what page.evaluate carries.
    const traces = laneTracks(o.traces, 2, { kind: 'plane', axes: [0, 1] }, frames).map((t) => ({
      xs: Array.from(t.xs),
      ys: Array.from(t.ys),
      last: t.last,
    }));
    const lanes = traces;
    const vectors = (
      f: (x: number, y: number, k: number, xs: readonly number[], ys: readonly number[]) => [number, number],
    ) =>
      traces.map((t) => {
        const uv = t.xs.map((x, k) => f(x, t.ys[k], k, t.xs, t.ys));
        return { us: uv.map((p) => p[0]), vs: uv.map((p) => p[1]) };
      });
    const neg = (x: number, y: number): [number, number] => {
      const [gx, gy] = bealeGradient(x, y);
      return [-gx, -gy];
    };
    const power = (x: number, y: number): [number, number] =>
      neg(x, y).map((v) => Math.sign(v) * Math.abs(v) ** 0.5) as [number, number];
    const step = (_x: number, _y: number, k: number, xs: readonly number[], ys: readonly number[]): [number, number] =>
      k + 1 < xs.length ? [xs[k + 1] - xs[k], ys[k + 1] - ys[k]] : [0, 0];
    return {
      id: o.curves.id,
      label: o.curves.label,
      colour: colours[g],
      lanes,
      arrows: { gradient: vectors(neg), power: vectors(power), step: vectors(step) },
    };
  });
}

const harness = useComponents();

/** The real landscape chart in a card, the layer over it, and a counter of the chart's own draws. */
async function mountLandscape(page: Page, groups: unknown[]): Promise<void> {
  await page.evaluate(
    ({ landscape, groups }) => {
      const { LandscapeView, TrajectoryLayer, readTheme, Chart } = (window as any).lab;
      const t = { chartDraws: 0 } as any;
      Chart.register({ id: 'countDraws', afterDraw: () => t.chartDraws++ });
      const canvas = document.createElement('canvas');
      const box = document.createElement('div');
      box.className = 'chart-box';
      box.append(canvas);
      const card = document.createElement('section');
      card.className = 'card';
      card.append(box);
      document.getElementById('root')!.append(card);
      const view = new LandscapeView(canvas, readTheme(), {
        addStart: () => {},
        removeStart: () => {},
        viewChanged: () => {},
      });
      view.setLandscape(landscape);
      const layer = TrajectoryLayer.over(view.chart);
      layer.setData(groups);
      card.append(layer.legend);
      Object.assign(t, { view, layer });
      (window as any).t = t;
    },
    { landscape: recorded.landscape, groups },
  );
  await frames(page);
}

/** Keeps the layer's moving canvas as it is now (in the page: a full canvas is too big to send back and forth). */
async function snapshot(page: Page): Promise<void> {
  await page.evaluate(() => {
    const c = document.querySelectorAll('canvas.trajectory-layer')[1] as HTMLCanvasElement;
    (window as any).snap = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
  });
}

/** Pixels of the moving canvas whose opacity changed by more than a quarter since the snapshot. */
async function changedSinceSnapshot(page: Page): Promise<number> {
  return page.evaluate(() => {
    const c = document.querySelectorAll('canvas.trajectory-layer')[1] as HTMLCanvasElement;
    const now = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const before = (window as any).snap as Uint8ClampedArray;
    let n = 0;
    for (let i = 3; i < now.length; i += 4) if (Math.abs(now[i] - before[i]) > 64) n++;
    return n;
  });
}

for (const width of [620, 1200]) {
  componentTest(
    `trajectory layer at ${width} px: the markers move with the step, the chart is not redrawn`,
    async () => {
      const o = await openComponents(harness, 'dark', width, 1000);
      const { page } = o;
      await mountLandscape(page, recordedGroups());
      await page.evaluate(() => (window as any).t.layer.setStep(20));
      await frames(page);
      await snapshot(page);
      await page.locator('.card').screenshot({ path: resolve(ARTIFACTS, `trajectories-${width}-step20.png`) });
      const drawsBefore = await page.evaluate(() => (window as any).t.chartDraws);
      // 100 steps one by one, as playback delivers them: the layer redraws, the landscape chart does not.
      await page.evaluate(async () => {
        for (let k = 21; k <= 120; k++) {
          (window as any).t.layer.setStep(k);
          await new Promise((r) => requestAnimationFrame(r));
        }
      });
      await frames(page);
      const changed = await changedSinceSnapshot(page);
      assert.equal(await page.evaluate(() => (window as any).t.chartDraws), drawsBefore, 'the chart was not redrawn');
      assert.ok(changed > 200, `the markers and tails moved: ${changed} pixels changed`);

      // At step 120 there is a marker of the optimizer's colour at each lane's point (or its last one).
      const probe = await page.evaluate(() => {
        const t = (window as any).t;
        const c = document.querySelectorAll('canvas.trajectory-layer')[1] as HTMLCanvasElement;
        const ctx = c.getContext('2d')!;
        const chart = t.view.chart;
        const a = chart.chartArea;
        const lanes = (t.layer as any).groups[1].lanes as { xs: number[]; ys: number[]; last: number }[];
        return lanes.map((lane) => {
          const k = Math.min(120, lane.last);
          const px = chart.scales.x.getPixelForValue(lane.xs[k]) - a.left;
          const py = chart.scales.y.getPixelForValue(lane.ys[k]) - a.top;
          if (px < 2 || py < 2 || px > a.right - a.left - 2 || py > a.bottom - a.top - 2) return null;
          return Array.from(ctx.getImageData(Math.round(px), Math.round(py), 1, 1).data);
        });
      });
      const inside = probe.filter((p): p is number[] => p !== null);
      assert.ok(inside.length >= 4, `h-Adam lanes inside the view: ${inside.length}`);
      for (const [r, g, b, alpha] of inside)
        assert.ok(alpha === 255 && Math.abs(r - 0xd1) + Math.abs(g - 0x86) + Math.abs(b - 0x16) < 40, `${[r, g, b]}`);
      await page.locator('.card').screenshot({ path: resolve(ARTIFACTS, `trajectories-${width}-step120.png`) });
      assert.deepEqual(await overflowing(page, '.card, .chart-box'), []);
      await noProblems(o);
      await page.close();
    },
  );
}

componentTest('trajectory layer: −∇f, power-gradient and step arrows with their key; full paths toggle', async () => {
  const o = await openComponents(harness, 'light', 620, 900);
  const { page } = o;
  await mountLandscape(page, recordedGroups());
  await page.evaluate(() => {
    const { layer } = (window as any).t;
    layer.setStep(30);
    layer.setOptions({ arrows: ['gradient', 'power', 'step'] });
  });
  await frames(page);
  const legend = (await page.textContent('.arrow-legend')) ?? '';
  for (const s of ['−∇f', '−sign(g)·|g|ᴴ', 'the optimizer’s step', 'longest']) assert.ok(legend.includes(s), legend);
  const amber = await page.evaluate(() => {
    const c = document.querySelectorAll('canvas.trajectory-layer')[1] as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 230 && d[i + 1] > 150 && d[i + 1] < 200 && d[i + 2] < 60) n++;
    return n;
  });
  assert.ok(amber > 20, `power-gradient arrows drawn in their colour: ${amber} pixels`);
  await page.locator('.card').screenshot({ path: resolve(ARTIFACTS, 'trajectories-arrows-light.png') });

  const stillInk = () =>
    page.evaluate(() => {
      const c = document.querySelectorAll('canvas.trajectory-layer')[0] as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
  const withPaths = await stillInk();
  await page.evaluate(() => (window as any).t.layer.setOptions({ fullPaths: false }));
  await frames(page);
  const withoutPaths = await stillInk();
  assert.ok(withPaths > 2 * withoutPaths && withoutPaths > 0, `paths ${withPaths}, starts only ${withoutPaths}`);
  await noProblems(o);
  await page.close();
});

componentTest('trajectory layer: 5 optimizers × 256 lanes × 1,000 steps play (frame times logged)', async () => {
  const o = await openComponents(harness, 'dark', 1200, 1000);
  const { page } = o;
  const phases = await page.evaluate(async () => {
    const { Chart, TrajectoryLayer, Player } = (window as any).lab;
    const canvas = document.createElement('canvas');
    const box = document.createElement('div');
    box.className = 'chart-box';
    box.append(canvas);
    document.getElementById('root')!.append(box);
    const chart = new Chart(canvas, {
      type: 'scatter',
      data: { datasets: [] },
      options: { animation: false, scales: { x: { min: -4, max: 4 }, y: { min: -4, max: 4 } } },
    });
    // Spirals into the origin: each lane its own start, each optimizer its own rate; the vectors of a bowl
    // (−∇f = −θ), its power gradient (H = 0.5) and the step taken, for every step.
    const T = 1000;
    const groups = ['#3794ff', '#d18616', '#89d185', '#f14c4c', '#b180d7'].map((colour, g) => {
      const lanes = Array.from({ length: 256 }, (_, i) => {
        const xs = new Float64Array(T + 1);
        const ys = new Float64Array(T + 1);
        const r0 = 1 + 2.8 * ((i * 0.618) % 1);
        const th = (2 * Math.PI * i) / 256;
        for (let k = 0; k <= T; k++) {
          const r = r0 * Math.exp(-k / (150 + 60 * g));
          xs[k] = r * Math.cos(th + k / 40);
          ys[k] = r * Math.sin(th + k / 40);
        }
        return { xs, ys, last: T };
      });
      const field = (f: (lane: { xs: Float64Array; ys: Float64Array }, k: number) => [number, number]) =>
        lanes.map((lane) => {
          const us = new Float64Array(T + 1);
          const vs = new Float64Array(T + 1);
          for (let k = 0; k <= T; k++) [us[k], vs[k]] = f(lane, k);
          return { us, vs };
        });
      const root = (v: number) => Math.sign(v) * Math.sqrt(Math.abs(v));
      return {
        id: `o${g}`,
        label: `o${g}`,
        colour,
        lanes,
        arrows: {
          gradient: field((l, k) => [-l.xs[k], -l.ys[k]]),
          power: field((l, k) => [root(-l.xs[k]), root(-l.ys[k])]),
          step: field((l, k) => (k < T ? [l.xs[k + 1] - l.xs[k], l.ys[k + 1] - l.ys[k]] : [0, 0])),
        },
      };
    });
    const t0 = performance.now();
    const layer = TrajectoryLayer.over(chart);
    layer.setData(groups);
    layer.flush();
    const setup = performance.now() - t0;
    const moving = document.querySelectorAll('canvas.trajectory-layer')[1] as HTMLCanvasElement;
    const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))];
    /** Plays 120 frames at 120 steps/s, timing each frame's drawing alone and with its rasterization. */
    const play = async () => {
      // Looping: on a loaded machine a slow frame advances many steps, and play must not end before 120 frames.
      const player = new Player(T, { speed: 120, loop: true });
      const draws: number[] = [];
      const rasters: number[] = [];
      const intervals: number[] = [];
      let prev = 0;
      player.onChange((s: { step: number }) => {
        const t1 = performance.now();
        layer.setStep(s.step);
        layer.flush();
        draws.push(layer.lastDrawMs);
        // Reading a pixel makes Chromium rasterize the frame's drawing now, so its cost is measured too.
        moving.getContext('2d')!.getImageData(0, 0, 1, 1);
        rasters.push(performance.now() - t1);
        if (prev) intervals.push(t1 - prev);
        prev = t1;
      });
      player.play();
      await new Promise<void>((done) => {
        const wait = () => (draws.length >= 120 ? done() : requestAnimationFrame(wait));
        wait();
      });
      player.dispose();
      return {
        setup,
        frames: draws.length,
        drawMedian: q(draws, 0.5),
        drawP95: q(draws, 0.95),
        rasterMedian: q(rasters, 0.5),
        rasterP95: q(rasters, 0.95),
        intervalMedian: q(intervals, 0.5),
        intervalP95: q(intervals, 0.95),
      };
    };
    const plain = await play();
    layer.setOptions({ arrows: ['gradient', 'power', 'step'] });
    const arrows = await play();
    return { plain, arrows };
  });
  const f = (v: number) => v.toFixed(1);
  for (const [name, stats] of Object.entries(phases)) {
    console.log(
      `# trajectory layer, 5 × 256 lanes × 1,000 steps (${name}): setup (projection + full paths) ${f(stats.setup)} ms; ` +
        `${stats.frames} frames, draw median ${f(stats.drawMedian)} ms, p95 ${f(stats.drawP95)} ms, ` +
        `with rasterization median ${f(stats.rasterMedian)} ms, p95 ${f(stats.rasterP95)} ms; ` +
        `frame interval median ${f(stats.intervalMedian)} ms (${f(1000 / stats.intervalMedian)} fps), p95 ${f(stats.intervalP95)} ms`,
    );
    assert.equal(stats.frames, 120);
  }
  await page.screenshot({ path: resolve(ARTIFACTS, 'trajectories-load.png') });
  await noProblems(o);
  await page.close();
});
