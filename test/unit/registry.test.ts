// The registry: ids, hyperparameter metadata, and the CLI's optimizer spec syntax.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  getOptimizer,
  listOptimizers,
  optimizersJson,
  OptimizerSpecError,
  parseOptimizerList,
  parseOptimizerSpec,
} from '../../src/engine/optim/registry';
import type { NumberParam, Optimizer } from '../../src/engine/optim/types';

const REQUIRED_IDS =
  'gd momentum nag adagrad rmsprop adam amsgrad amsgrad-max rprop irprop quickprop ngd nasgd pbsgd pbsgdm h-gd h-nag h-adam ht-adam h-amsgrad'.split(
    ' ',
  );
const PARAM_NAMES = new Set(
  'eta beta gamma rho beta1 beta2 eps H H0 beta3 alpha L clip norm adaptive lamMin lamMax m D0 etaPlus etaMinus Dmin Dmax mu maxNorm maxDelta decayRate decaySteps'.split(
    ' ',
  ),
);

const numberParam = (o: Optimizer, name: string) => {
  const p = o.params.find((x) => x.name === name);
  assert.ok(p && p.kind === 'number', `${o.id} has a numeric parameter ${name}`);
  return p as NumberParam;
};
const defaultOf = (id: string, name: string) => getOptimizer(id).params.find((p) => p.name === name)?.default;

test('every required id resolves, and the list has no duplicates', () => {
  for (const id of REQUIRED_IDS) assert.equal(getOptimizer(id).id, id);
  const ids = listOptimizers().map((o) => o.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(ids.slice(0, REQUIRED_IDS.length), REQUIRED_IDS);
});

test('h-<id> exists for every base optimizer that reads the gradient value, and not for Rprop', () => {
  for (const id of [
    'gd',
    'momentum',
    'nag',
    'adagrad',
    'rmsprop',
    'adam',
    'amsgrad',
    'amsgrad-max',
    'quickprop',
    'ngd',
    'nasgd',
  ]) {
    const base = getOptimizer(id);
    assert.equal(base.consumes, 'value');
    const h = getOptimizer(`h-${id}`);
    // A chain: the power transform, then the base's rule; the base's parameters plus H, and the base's state.
    assert.deepEqual(
      h.transforms.map((t) => t.id),
      ['power', id],
    );
    assert.deepEqual(
      h.params.map((p) => p.name),
      [...base.params.map((p) => p.name), 'H'],
    );
    assert.deepEqual(
      h.state.map((s) => s.name),
      base.state.map((s) => s.name),
    );
  }
  // Rprop reads only signs, which the power transform keeps: h-rprop would be rprop.
  for (const id of ['rprop', 'irprop']) {
    assert.equal(getOptimizer(id).consumes, 'sign');
    assert.throws(() => getOptimizer(`h-${id}`), new RegExp(`unknown optimizer 'h-${id}'`));
  }
  assert.deepEqual(
    getOptimizer('pbsgd').params.map((p) => p.name),
    ['eta', 'H'],
  );
  assert.deepEqual(
    getOptimizer('pbsgdm').params.map((p) => p.name),
    ['eta', 'beta', 'H'],
  );
  assert.deepEqual(
    getOptimizer('ht-adam').params.map((p) => p.name),
    ['eta', 'beta1', 'beta2', 'eps', 'H0', 'beta3'],
  );
});

test('every parameter has an allowed name and complete, consistent metadata', () => {
  for (const o of listOptimizers()) {
    assert.ok(o.label && o.paper, `${o.id} has a label and a paper`);
    assert.ok(!/PowerSGD/.test(o.label), `${o.id}'s label avoids "PowerSGD"`);
    assert.equal(new Set(o.params.map((p) => p.name)).size, o.params.length, `${o.id}: parameter names are unique`);
    for (const p of o.params) {
      const where = `${o.id}.${p.name}`;
      assert.ok(PARAM_NAMES.has(p.name), `${where} is an allowed name`);
      assert.ok(p.symbol && p.description, `${where} has a symbol and a description`);
      if (p.kind === 'choice') {
        assert.ok(p.choices.includes(p.default), `${where}: default is one of the choices`);
      } else {
        assert.ok(p.min <= p.default && p.default <= p.max, `${where}: ${p.min} ≤ ${p.default} ≤ ${p.max}`);
        if (p.scale === 'log') assert.ok(p.min > 0, `${where}: a log scale starts above 0`);
      }
    }
    for (const s of o.state) {
      if ('param' in s.init)
        assert.ok(
          o.params.some((p) => p.name === (s.init as { param: string }).param),
          `${o.id}: state ${s.name} starts from a parameter`,
        );
    }
  }
});

test('defaults follow CONVENTIONS and the papers', () => {
  assert.equal(defaultOf('h-nag', 'gamma'), 0.99);
  assert.equal(defaultOf('h-nag', 'H'), 0.5);
  for (const id of ['h-adam', 'ht-adam', 'h-amsgrad', 'amsgrad', 'amsgrad-max'])
    assert.equal(defaultOf(id, 'beta2'), 0.99, id);
  assert.equal(defaultOf('adam', 'beta2'), 0.999);
  assert.equal(defaultOf('h-adam', 'H'), 0.5);
  assert.equal(defaultOf('ht-adam', 'H0'), 0.5);
  assert.equal(defaultOf('ht-adam', 'beta3'), 0.999);
  assert.deepEqual(
    ['D0', 'etaPlus', 'etaMinus', 'Dmin', 'Dmax'].map((n) => defaultOf('rprop', n)),
    [0.1, 1.2, 0.5, 1e-6, 50],
  );
  assert.deepEqual(
    ['D0', 'etaPlus', 'etaMinus', 'Dmin', 'Dmax'].map((n) => defaultOf('irprop', n)),
    [0.1, 1.2, 0.5, 1e-6, 50],
  );
  assert.equal(defaultOf('quickprop', 'mu'), 1.75);
  assert.deepEqual(
    ['beta', 'lamMin', 'lamMax', 'norm', 'adaptive'].map((n) => defaultOf('ngd', n)),
    [0.5, 1e-6, 0.1, 'l2', '0'],
  );
  assert.deepEqual(
    ['alpha', 'L', 'clip'].map((n) => defaultOf('nasgd', n)),
    [0.7, 0, '1'],
  );
  assert.equal(defaultOf('momentum', 'beta'), 0.9);
  assert.equal(numberParam(getOptimizer('gd'), 'eta').symbol, 'η');
  assert.equal(numberParam(getOptimizer('adam'), 'beta1').symbol, 'β₁');
  assert.equal(getOptimizer('pbsgd').label, 'Powerball SGD (pbSGD)');
  assert.equal(getOptimizer('h-adam').paper, 'Baiesi 2019, A.2 (constant H)');
  assert.equal(getOptimizer('ngd').paper, 'Kolasiński 2018, Alg. 1');
  assert.equal(getOptimizer('nasgd').paper, 'Sprunger 2020, Alg. 1');
});

test('an unknown id fails with the list of valid ids', () => {
  assert.throws(
    () => getOptimizer('adamw'),
    (e: Error) =>
      /unknown optimizer 'adamw'/.test(e.message) && /gd, momentum, nag/.test(e.message) && /h-rmsprop/.test(e.message),
  );
  // The named compositions are already power-transformed.
  assert.throws(() => getOptimizer('h-pbsgd'), /unknown optimizer 'h-pbsgd'/);
});

test('parseOptimizerSpec reads numbers and choices and leaves the rest to the defaults', () => {
  assert.deepEqual(parseOptimizerSpec('h-adam:eta=0.01:H=0.5'), { id: 'h-adam', params: { eta: 0.01, H: 0.5 } });
  assert.deepEqual(parseOptimizerSpec('ngd:norm=linf:adaptive=1:m=0.9:lamMax=1e-1'), {
    id: 'ngd',
    params: { norm: 'linf', adaptive: '1', m: 0.9, lamMax: 0.1 },
  });
  assert.deepEqual(parseOptimizerSpec('gd'), { id: 'gd', params: {} });
  assert.deepEqual(parseOptimizerSpec('nasgd:L=-2.5:clip=0'), { id: 'nasgd', params: { L: -2.5, clip: '0' } });
});

test('parseOptimizerSpec errors say what is wrong and where', () => {
  const fails = (text: string, pattern: RegExp, column: number) =>
    assert.throws(
      () => parseOptimizerSpec(text),
      (e: unknown) => {
        assert.ok(e instanceof OptimizerSpecError);
        assert.match(e.message, pattern);
        assert.equal(e.column, column, `column of '${text}'`);
        return true;
      },
    );
  fails('adamw:eta=1', /unknown optimizer 'adamw'; valid ids: gd, /, 1);
  fails('gd:beta=0.9', /gd has no parameter 'beta'; its parameters: eta/, 4);
  fails('h-adam:eta=0.01:H=half', /h-adam: H needs a finite number, not 'half'/, 19);
  fails('gd:eta=', /eta needs a finite number, not ''/, 8);
  fails('gd:eta=Infinity', /finite number/, 8);
  fails('ngd:norm=l3', /ngd: norm must be one of l2\|linf\|std\|rms, not 'l3'/, 10);
  fails('nasgd:clip=true', /clip must be one of 0\|1/, 12);
  fails('gd:eta', /expected name=value, not 'eta'/, 4);
  fails('gd:eta=1:eta=2', /eta is given twice/, 10);
});

test('parseOptimizerList splits on commas and reports columns in the whole text', () => {
  assert.deepEqual(parseOptimizerList('gd:eta=0.1156,nasgd:alpha=1.9'), [
    { id: 'gd', params: { eta: 0.1156 } },
    { id: 'nasgd', params: { alpha: 1.9 } },
  ]);
  assert.deepEqual(
    parseOptimizerList('gd, h-nag').map((c) => c.id),
    ['gd', 'h-nag'],
  );
  assert.throws(
    () => parseOptimizerList('gd:eta=0.1,nasgd:beta=2'),
    (e: unknown) => e instanceof OptimizerSpecError && e.column === 18,
  );
  assert.throws(() => parseOptimizerList('gd,,adam'), /empty optimizer spec \(column 4\)/);
});

test('optimizersJson lists every optimizer with its parameters, defaults and ranges', () => {
  const json = JSON.parse(JSON.stringify(optimizersJson())) as ReturnType<typeof optimizersJson>;
  assert.deepEqual(
    json.map((o) => o.id),
    listOptimizers().map((o) => o.id),
  );
  const hAdam = json.find((o) => o.id === 'h-adam')!;
  assert.equal(hAdam.paper, 'Baiesi 2019, A.2 (constant H)');
  assert.equal(hAdam.rule, 'Adam fed with h = sign(g)·abs(g)^H');
  assert.equal(hAdam.consumes, 'value');
  assert.deepEqual(
    hAdam.transforms.map((t) => t.id),
    ['power', 'adam'],
  );
  for (const o of json) assert.ok(o.rule && o.paper, `${o.id} publishes its rule and paper`);
  assert.deepEqual(
    hAdam.parameters.find((p) => p.name === 'beta2'),
    {
      name: 'beta2',
      kind: 'number',
      symbol: 'β₂',
      description: hAdam.parameters.find((p) => p.name === 'beta2')!.description,
      default: 0.99,
      min: 0,
      max: 0.99999,
      scale: 'linear',
    },
  );
  assert.deepEqual(json.find((o) => o.id === 'ngd')!.parameters.find((p) => p.name === 'norm')!.choices, [
    'l2',
    'linf',
    'std',
    'rms',
  ]);
});

test('a spec chains transforms with "+", each with its own parameters, onto one flat configuration', () => {
  assert.deepEqual(parseOptimizerSpec('adam:eta=0.001+clip-norm:maxNorm=1'), {
    id: 'adam+clip-norm',
    params: { eta: 0.001, maxNorm: 1 },
  });
  assert.deepEqual(parseOptimizerSpec('h-adam:H=0.5+clip-value+exp-decay:decayRate=0.99'), {
    id: 'h-adam+clip-value+exp-decay',
    params: { H: 0.5, decayRate: 0.99 },
  });
  // A "+" inside a number is the number's; NaSGD's clip choice is not the clip-value transform.
  assert.deepEqual(parseOptimizerSpec('gd:eta=1e+0'), { id: 'gd', params: { eta: 1 } });
  assert.deepEqual(parseOptimizerSpec('nasgd:clip=0 + clip-value:maxDelta=5'), {
    id: 'nasgd+clip-value',
    params: { clip: '0', maxDelta: 5 },
  });
  assert.deepEqual(
    parseOptimizerList('gd+inv-time:decaySteps=100,rmsprop').map((c) => c.id),
    ['gd+inv-time', 'rmsprop'],
  );
});

test('spec errors in chains and ranges say what is wrong and where', () => {
  const fails = (text: string, pattern: RegExp, column: number) =>
    assert.throws(
      () => parseOptimizerList(text),
      (e: unknown) => {
        assert.ok(e instanceof OptimizerSpecError, String(e));
        assert.match(e.message, pattern);
        assert.equal(e.column, column, `column of '${text}'`);
        return true;
      },
    );
  fails('gd:eta=-1', /gd: eta = -1 is outside its range 0\.000001…10/, 8);
  fails('adam:beta1=2', /adam: beta1 = 2 is outside its range 0…0\.9999/, 12);
  fails('gd:eta=0.1+clip-norm:maxNorm=0', /clip-norm: maxNorm = 0 is outside its range/, 30);
  fails('gd+clip', /unknown transform 'clip'; after '\+': clip-norm, clip-value, exp-decay, inv-time/, 4);
  fails('gd+clip-norm:eta=1', /clip-norm has no parameter 'eta'; its parameters: maxNorm/, 14);
  fails('gd+clip-norm+clip-norm', /clip-norm is chained twice/, 14);
  fails('gd,rprop:D0=0.2+clip-norm', /rprop reads only the sign of the gradient, which clip-norm keeps/, 17);
  fails('gd,nasgd+inv-time', /nasgd has no learning rate for inv-time to vary/, 10);
  fails('gd+', /unknown optimizer 'gd\+'/, 1);
  fails('gd:eta=0.1+exp-decay:decayRate=1.5', /decayRate = 1\.5 is outside its range 0…1/, 32);
});
