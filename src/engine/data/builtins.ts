/**
 * The built-in datasets, addressed by name (`@data spiral`, `descent-lab data iris`) with optional numeric
 * arguments: `spiral(noise=0.1, n=400)`. Every argument has a default, a range and, where it must, integrality;
 * a reference that names an unknown dataset or argument, or gives a value out of range, is an error with its
 * offsets in the reference text. Names are looked up in a Map, never as properties of an object.
 */
import { MAX_DATA_ROWS, type Dataset } from './dataset';
import { sine, sprungerTeacher } from './generated';
import { iris } from './iris';
import { circle, gauss, spiral, xor } from './playground';

export interface DatasetParam {
  readonly name: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly doc: string;
}

export interface BuiltinDataset {
  readonly name: string;
  readonly doc: string;
  readonly source: string;
  readonly licence: string;
  readonly params: readonly DatasetParam[];
  /** `args` holds every parameter (defaults filled in); `name` is the reference as the dataset's name. */
  generate(name: string, args: ReadonlyMap<string, number>): Dataset;
}

export type DatasetResult =
  | { readonly ok: true; readonly dataset: Dataset }
  | { readonly ok: false; readonly message: string; readonly start: number; readonly end: number };

const MAX_SEED = 0xffffffff;
const rowsParam = (dflt: number, min: number): DatasetParam => ({
  name: 'n',
  default: dflt,
  min,
  max: MAX_DATA_ROWS,
  integer: true,
  doc: 'number of rows',
});
const seedParam = (dflt: number): DatasetParam => ({
  name: 'seed',
  default: dflt,
  min: 0,
  max: MAX_SEED,
  integer: true,
  doc: 'seed of the generating stream, mulberry32(seed)',
});
const playgroundNoise: DatasetParam = {
  name: 'noise',
  default: 0,
  min: 0,
  max: 0.5,
  integer: false,
  doc: "noise level, as TensorFlow Playground's 0–50 % slider",
};

const PLAYGROUND_SOURCE =
  "after TensorFlow Playground's dataset generators (github.com/tensorflow/playground, src/dataset.ts)";
const PLAYGROUND_LICENCE = 'Apache-2.0 (TensorFlow Playground, © 2016 Google Inc.); generated here';

function playground(name: string, doc: string, make: typeof circle): BuiltinDataset {
  return {
    name,
    doc,
    source: PLAYGROUND_SOURCE,
    licence: PLAYGROUND_LICENCE,
    params: [rowsParam(500, 2), playgroundNoise, seedParam(0)],
    generate: (ref, a) => make(ref, { n: a.get('n')!, noise: a.get('noise')!, seed: a.get('seed')! }),
  };
}

const BUILTINS: readonly BuiltinDataset[] = [
  {
    name: 'sprunger_teacher',
    doc: 'a teacher dense layer R¹⁰ → R⁴ with tanh on inputs uniform in [0, 1]¹⁰: columns x1…x10, y1…y4',
    source: 'Sprunger 2020, "Reparametrizing gradient descent", §3; teacher drawn as a Keras Dense layer',
    licence: 'generated here',
    params: [rowsParam(200, 1), seedParam(2020)],
    generate: (ref, a) => sprungerTeacher(ref, { n: a.get('n')!, seed: a.get('seed')! }),
  },
  playground('circle', 'a disc (+1) inside a ring (−1): columns x1, x2, label', circle),
  playground('xor', 'the four quadrants, +1 where x1·x2 ≥ 0: columns x1, x2, label', xor),
  playground('gauss', 'two Gaussian clouds at (2, 2) (+1) and (−2, −2) (−1): columns x1, x2, label', gauss),
  playground('spiral', 'two interleaved spiral arms, +1 and −1: columns x1, x2, label', spiral),
  {
    name: 'iris',
    doc: "Fisher's 150 irises, 4 measurements in cm and the species one-hot (setosa, versicolor, virginica)",
    source: 'UCI Machine Learning Repository, Iris (Fisher 1936), doi:10.24432/C56C76',
    licence: 'CC BY 4.0',
    params: [],
    generate: (ref) => iris(ref),
  },
  {
    name: 'sine',
    doc: 'regression: y = sin(x) + noise·N(0, 1), x uniform in [−π, π): columns x, y',
    source: 'generated here',
    licence: 'generated here',
    params: [
      rowsParam(200, 1),
      { name: 'noise', default: 0.1, min: 0, max: 10, integer: false, doc: 'standard deviation of the noise' },
      seedParam(0),
    ],
    generate: (ref, a) => sine(ref, { n: a.get('n')!, noise: a.get('noise')!, seed: a.get('seed')! }),
  },
];

export const BUILTIN_DATASETS: ReadonlyMap<string, BuiltinDataset> = new Map(BUILTINS.map((d) => [d.name, d]));

const REFERENCE = /^(\s*)([A-Za-z_]\w*)\s*(?:\((.*)\))?\s*$/s;
const ARGUMENT = /^(\s*)([A-Za-z_]\w*)\s*=\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*$/;

/** The dataset a reference names (`iris`, `spiral(noise=0.1, n=400)`), or what is wrong with it. */
export function builtinDataset(ref: string): DatasetResult {
  const error = (message: string, start: number, end: number): DatasetResult => ({ ok: false, message, start, end });
  const m = REFERENCE.exec(ref);
  if (!m) return error('expected a built-in dataset, e.g. iris or spiral(noise=0.1, n=400)', 0, ref.length);
  const [, lead, id, inner] = m;
  const builtin = BUILTIN_DATASETS.get(id);
  if (!builtin) {
    const known = [...BUILTIN_DATASETS.keys()].join(', ');
    return error(`no built-in dataset '${id}'; there are ${known}`, lead.length, lead.length + id.length);
  }
  const given = new Map<string, number>();
  if (inner !== undefined && inner.trim() !== '') {
    // Arguments are identifiers and numbers, so a comma always separates two of them.
    let at = ref.indexOf('(') + 1;
    for (const part of inner.split(',')) {
      const a = ARGUMENT.exec(part);
      if (!a) return error('expected name=number', at, at + part.length);
      const [, space, key, text] = a;
      const start = at + space.length;
      const end = at + part.trimEnd().length;
      const param = builtin.params.find((p) => p.name === key);
      const problem = !param
        ? `${id} has no argument '${key}'${builtin.params.length ? `; it takes ${builtin.params.map((p) => p.name).join(', ')}` : ''}`
        : given.has(key)
          ? `'${key}' is given twice`
          : valueProblem(param, Number(text));
      if (problem) return error(problem, start, end);
      given.set(key, Number(text));
      at += part.length + 1;
    }
  }
  const args = new Map(builtin.params.map((p) => [p.name, given.get(p.name) ?? p.default]));
  const shown = builtin.params.filter((p) => given.has(p.name)).map((p) => `${p.name}=${given.get(p.name)}`);
  return { ok: true, dataset: builtin.generate(shown.length ? `${id}(${shown.join(', ')})` : id, args) };
}

function valueProblem(p: DatasetParam, v: number): string | undefined {
  if (p.integer && !Number.isInteger(v)) return `${p.name} must be an integer, not ${v}`;
  if (!(v >= p.min && v <= p.max)) return `${p.name} must be from ${p.min} to ${p.max}, not ${v}`;
  return undefined;
}
