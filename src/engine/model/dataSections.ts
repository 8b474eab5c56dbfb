/**
 * The data sections of a `.cost` file (DATA-CONVENTIONS "The `.cost` form"); costFile.ts hands them every line
 * from the first `@data` on. Scoping:
 *
 *   @data "f.csv" | @data NAME(args)   opens a section, which lasts to the next @data or the end of the file;
 *                                      every definition in it is a model or a binding (cost functions of the
 *                                      ordinary kind go above the first @data)
 *   @split …                           after @data and before the section's first model; for all its models
 *   x = row[1:10]                      a binding, visible to the later lines of its section
 *   @param NAME SHAPE INIT             above its model, after the previous model (or the @data line)
 *   name(W, b) = loss                  a model; its variables are its parameters, one @param line each
 *   @batch @shuffle @epochs @noise @minimum @metric   after their model, as @domain and @minimum follow a function
 *
 * The engine reads no files: `@data "f.csv"` goes to the caller's DataFileReader. An error inside the file (the
 * CostError of parseCsv, located in the CSV) is kept in `dataErrors`, and the @data line gets an error that
 * quotes it. When the @data line fails, the lines of its section are skipped (its own error is enough).
 */
import type { AssignmentNode, FunctionAssignmentNode, SymbolNode } from 'mathjs';
import { builtinDataset, type Dataset } from '../data';
import { DirectiveArgs, directiveTokens, type DirectiveToken } from '../expr/directiveArgs';
import { guard, parseSyntax, type Syntax } from '../expr/definition';
import { tokenize } from '../expr/lexer';
import { CostError, formatCostError, type LineMap, type Span } from '../expr/sourceMap';
import {
  buildModel,
  checkBinding,
  checkName,
  withinLimit,
  type Binding,
  type PendingParam,
  type SectionScope,
  type SectionState,
} from './modelBuilder';
import * as read from './modelDirectives';
import { TensorLowering } from './modelLowering';
import type { ModelData, ModelProgram } from './modelProgram';

/** A data file's contents, or why there are none: a message (missing, unreadable, too big) or parseCsv's error. */
export type DataFileResult =
  { readonly ok: true; readonly dataset: Dataset } | { readonly ok: false; readonly error: string | CostError };

/** Reads `@data "path"` (the path as written, relative to the `.cost` file): the caller's I/O. */
export type DataFileReader = (path: string) => DataFileResult;

/** Directives that belong to data sections (`@minimum` and `@noise` also follow functions). */
export const MODEL_DIRECTIVES: ReadonlySet<string> = new Set([
  '@data',
  '@split',
  '@param',
  '@batch',
  '@shuffle',
  '@epochs',
  '@metric',
]);

/** Where a file's models, errors and names go. */
export interface ModelSink {
  readonly models: ModelProgram[];
  readonly errors: CostError[];
  readonly dataErrors: CostError[];
  readonly constants: ReadonlyMap<string, number>;
  readonly defined: Map<string, number>;
}

interface Section {
  /** Undefined when the @data line failed: the section's lines are then skipped. */
  data?: ModelData;
  columnIndex: Map<string, number>;
  bindings: Map<string, Binding | number>;
  /** @param lines waiting for their model, and the names of those that failed. */
  params: Map<string, PendingParam>;
  failedParams: Set<string>;
  splitLine?: number;
  models: number;
}

/** The line before a directive: what @batch, @metric … attach to. */
type Last =
  | { kind: 'model'; model: ModelProgram; scope: SectionScope; given: Set<string> }
  | { kind: 'other' }
  | { kind: 'failed' };

const METRIC = /^@metric\s+([^\s=]+)\s*=/d;

export class DataSections {
  private section: Section | undefined;
  private last: Last = { kind: 'other' };

  constructor(
    private readonly map: LineMap,
    private readonly readData: DataFileReader | undefined,
    private readonly sink: ModelSink,
  ) {}

  get open(): boolean {
    return this.section !== undefined;
  }

  /** Handles a directive from '@' to the end of its line; false when it is not a data section's to handle. */
  directive(span: Span): boolean {
    const tokens = directiveTokens(this.map, span);
    const keyword = tokens[0];
    if (!this.section && keyword.text !== '@data') return false;
    this.collect(() => {
      if (keyword.text === '@data') return this.openSection(keyword, span.end);
      const section = this.section!;
      if (!section.data) return;
      const args = new DirectiveArgs(this.map, tokens, keyword);
      if (keyword.text === '@split') return this.split(args, section, section.data);
      if (keyword.text === '@param') return this.param(args, section, span);
      if (keyword.text === '@domain') {
        throw this.map.error(
          "@domain is for cost functions; a model's parameters start from their @param lines",
          keyword,
        );
      }
      if (!MODEL_DIRECTIVES.has(keyword.text) && keyword.text !== '@noise' && keyword.text !== '@minimum') {
        throw this.map.error(
          `unknown directive '${keyword.text}'; expected @data, @split, @param, @batch, @shuffle, @epochs, @metric, ` +
            '@noise or @minimum',
          keyword,
        );
      }
      this.modelDirective(args, span);
    });
    return true;
  }

  /** A definition in a data section: a binding `x = …` or a model `name(W, b) = …`. */
  definition(span: Span): void {
    const section = this.section!;
    if (!section.data) return;
    const state: SectionState = { data: section.data, columnIndex: section.columnIndex, bindings: section.bindings };
    this.last = { kind: 'failed' };
    // A line that starts as a model does (`name(`) takes the @param lines above it, even when it fails.
    const tokens = tokenize(this.map.text, span.start, span.end);
    const params = { lines: section.params, failed: section.failedParams };
    if (tokens[0]?.kind === 'name' && tokens[1]?.text === '(') {
      section.params = new Map();
      section.failedParams = new Set();
    }
    this.collect(() => {
      const syntax = parseSyntax(this.map, span, true);
      guard(this.map, syntax.whole, () => {
        const root = syntax.root;
        if (root.type === 'AssignmentNode') return this.binding(syntax, root as AssignmentNode, section, state);
        if (root.type !== 'FunctionAssignmentNode') {
          throw this.map.error(
            'a data section holds bindings (x = row[1:10]) and models (name(W, b) = loss)',
            syntax.whole,
          );
        }
        this.model(syntax, root as FunctionAssignmentNode, section, state, params);
      });
    });
  }

  private model(
    syntax: Syntax,
    def: FunctionAssignmentNode,
    section: Section,
    state: SectionState,
    params: { lines: ReadonlyMap<string, PendingParam>; failed: ReadonlySet<string> },
  ): void {
    const nameSpan = syntax.spans.nameSpan(def);
    checkName(this.map, state, this.sink, def.name, nameSpan, 'model');
    if (def.params.length === 0) throw this.map.error(`${def.name}() needs at least one parameter`, nameSpan);
    def.params.forEach((p, k) => checkName(this.map, state, this.sink, p, syntax.spans.params[k], 'parameter'));
    const signature = `${def.name}(${def.params.join(', ')})`;
    this.unclaimed(params.lines, (p) => !def.params.includes(p), `${signature} has no such variable`);
    if (def.params.some((p) => params.failed.has(p))) return; // the @param line's own error is enough
    def.params.forEach((p, k) => {
      if (!params.lines.has(p)) {
        throw this.map.error(`'${p}' needs a line @param ${p} SHAPE INIT above ${def.name}`, syntax.spans.params[k]);
      }
    });
    const { model, scope } = buildModel(this.map, syntax, def, state, this.sink, params.lines);
    section.models++;
    this.sink.defined.set(def.name, this.map.position(nameSpan.start).line);
    this.sink.models.push(model);
    this.last = { kind: 'model', model, scope, given: new Set() };
  }

  /** At the end of the file: @param lines that no model took. */
  end(): void {
    if (this.section) this.unclaimed(this.section.params, () => true, 'no model definition follows it');
  }

  private collect(work: () => void): void {
    try {
      work();
    } catch (e) {
      if (!(e instanceof CostError)) throw e;
      this.sink.errors.push(e);
    }
  }

  private unclaimed(params: ReadonlyMap<string, PendingParam>, unused: (name: string) => boolean, why: string): void {
    for (const [name, p] of params) {
      if (unused(name)) this.sink.errors.push(this.map.error(`@param ${name}: ${why}`, p.name));
    }
  }

  private openSection(keyword: DirectiveToken, lineEnd: number): void {
    this.end();
    this.last = { kind: 'other' };
    const section: Section = {
      columnIndex: new Map(),
      bindings: new Map(),
      params: new Map(),
      failedParams: new Set(),
      models: 0,
    };
    this.section = section;
    const ref = read.dataReference(this.map, keyword, lineEnd);
    const dataset = ref.kind === 'file' ? this.file(ref.path, ref.span) : this.builtin(ref.text, ref.span);
    const reference = this.map.text.slice(ref.span.start, ref.span.end);
    section.data = { dataset, reference, range: this.map.range({ start: keyword.start, end: ref.span.end }) };
    dataset.columns.forEach((c, j) => section.columnIndex.set(c, j));
  }

  private builtin(text: string, span: Span): Dataset {
    const result = builtinDataset(text);
    if (result.ok) return result.dataset;
    throw this.map.error(result.message, { start: span.start + result.start, end: span.start + result.end });
  }

  private file(path: string, span: Span): Dataset {
    if (!this.readData) throw this.map.error('data files cannot be read here; a built-in dataset can', span);
    const result = this.readData(path);
    if (result.ok) return result.dataset;
    if (typeof result.error === 'string') throw this.map.error(result.error, span);
    this.sink.dataErrors.push(result.error);
    throw this.map.error(formatCostError(result.error), span);
  }

  private split(args: DirectiveArgs, section: Section, data: ModelData): void {
    if (section.models > 0)
      throw this.map.error("@split goes above the section's first model (it applies to all)", args.keyword);
    if (section.splitLine !== undefined)
      throw this.map.error(`this data section has a @split (line ${section.splitLine})`, args.keyword);
    data.split = read.splitSpec(args, data.dataset.rows);
    section.splitLine = this.map.position(args.keyword.start).line;
  }

  private param(args: DirectiveArgs, section: Section, span: Span): void {
    this.last = { kind: 'other' };
    const name = read.paramName(args);
    const earlier = section.params.get(name.text);
    if (earlier) {
      const at = this.map.position(earlier.span.start).line;
      throw this.map.error(`${name.text} already has a @param line (line ${at})`, name);
    }
    try {
      section.params.set(name.text, { name, ...read.paramSpec(args), span });
    } catch (e) {
      section.failedParams.add(name.text);
      throw e;
    }
  }

  private modelDirective(args: DirectiveArgs, span: Span): void {
    const keyword = args.keyword.text;
    if (this.last.kind === 'failed') return; // the definition's own error is enough
    if (this.last.kind !== 'model') throw this.map.error(`${keyword} must follow a model definition`, args.keyword);
    const { model, scope, given } = this.last;
    if (keyword === '@metric') return this.metric(span, model, scope);
    if (given.has(keyword)) throw this.map.error(`${model.name} already has a ${keyword}`, args.keyword);
    if (keyword === '@batch') model.batch = read.count(args);
    else if (keyword === '@epochs') model.epochs = read.count(args);
    else if (keyword === '@shuffle') model.shuffle = read.shuffleMode(args);
    else if (keyword === '@noise') model.noise = read.noiseSigma(args);
    else model.fStar = read.lossMinimum(args);
    given.add(keyword);
  }

  /** `@metric NAME = EXPR`, a per-row scalar in the model's graph and scope. */
  private metric(span: Span, model: ModelProgram, scope: SectionScope): void {
    const line = this.map.text.slice(span.start, span.end);
    const m = METRIC.exec(line);
    if (!m) throw this.map.error('expected @metric NAME = EXPR', span);
    const nameSpan = { start: span.start + m.indices![1][0], end: span.start + m.indices![1][1] };
    if (!/^[A-Za-z_]\w*$/.test(m[1]))
      throw this.map.error(`'${m[1]}' is not a metric name (letters, digits, _)`, nameSpan);
    if (model.metrics.some((metric) => metric.name === m[1])) {
      throw this.map.error(`${model.name} already has a metric '${m[1]}'`, nameSpan);
    }
    const syntax = parseSyntax(this.map, { start: span.start + m[0].length, end: span.end }, true);
    const output = guard(this.map, syntax.whole, () => {
      if (syntax.root.type === 'AssignmentNode' || syntax.root.type === 'FunctionAssignmentNode') {
        throw this.map.error('a metric is an expression; its name goes before the =', syntax.whole);
      }
      const lowering = new TensorLowering(this.map, syntax.spans, scope);
      return withinLimit(this.map, scope.graph, syntax.whole, () =>
        lowering.lowerScalar(syntax.root, `the metric ${m[1]}`),
      );
    });
    const source = this.map.text.slice(syntax.whole.start, syntax.whole.end);
    model.metrics.push({
      name: m[1],
      output,
      source,
      range: this.map.range({ start: span.start, end: syntax.whole.end }),
    });
  }

  private binding(syntax: Syntax, asg: AssignmentNode, section: Section, state: SectionState): void {
    const nameSpan = syntax.spans.nameSpan(asg);
    if (asg.index || asg.object.type !== 'SymbolNode') {
      throw this.map.error('a binding names a value: x = row[1:10]', nameSpan);
    }
    const name = (asg.object as SymbolNode).name;
    const line = this.map.position(nameSpan.start).line;
    checkName(this.map, state, this.sink, name, nameSpan, 'binding');
    try {
      checkBinding(this.map, syntax, asg.value, state, this.sink);
    } catch (e) {
      section.bindings.set(name, line);
      throw e;
    }
    section.bindings.set(name, { syntax, value: asg.value, line });
    this.last = { kind: 'other' };
  }
}
