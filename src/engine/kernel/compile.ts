/** Chooses a backend for a step program: wasm-simd where WebAssembly SIMD validates, the JS backend otherwise. */
import type { DataStepProgram } from '../program/dataProgram';
import type { StepProgram } from '../program/stepProgram';
import type { DataKernel } from './dataTypes';
import { compileJs } from './jsBackend';
import { compileJsData } from './jsDataBackend';
import type { BackendChoice, Kernel, Precision } from './types';
import { compileWasmData } from './wasm/dataKernel';
import { compileWasm, simdSupported } from './wasm/wasmBackend';

let log: (message: string) => void = () => {};
let fallbackLogged = false;

/** Where the engine reports its one-time notices (the extension's output channel, the CLI's stderr). */
export function setEngineLog(sink: (message: string) => void): void {
  log = sink;
}

export function resolveBackend(choice: BackendChoice = 'auto'): 'js' | 'wasm-simd' {
  if (choice === 'js') return 'js';
  if (simdSupported()) return 'wasm-simd';
  if (choice === 'wasm-simd')
    throw new RangeError('WebAssembly SIMD is not available on this platform; use --backend js');
  if (!fallbackLogged) {
    fallbackLogged = true;
    log('WebAssembly SIMD is not available here: running on the JavaScript backend');
  }
  return 'js';
}

export function compileKernel(
  program: StepProgram,
  backend: BackendChoice = 'auto',
  precision: Precision = 'f64',
): Kernel {
  return resolveBackend(backend) === 'wasm-simd'
    ? compileWasm(program, undefined, precision)
    : compileJs(program, precision);
}

/** A data step program's kernel (models over data, gradient noise): wasm-simd where SIMD validates, as for functions. */
export function compileDataKernel(program: DataStepProgram, backend: BackendChoice = 'auto'): DataKernel {
  return resolveBackend(backend) === 'wasm-simd' ? compileWasmData(program) : compileJsData(program);
}
