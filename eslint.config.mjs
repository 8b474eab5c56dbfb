// `npm run lint`: ESLint (typescript-eslint's recommended rules) plus the house's boundaries, and Prettier's check.
// The boundaries (DESIGN.md, rules of the house), from the bottom up: src/shared (validation toolkit, protocols)
// imports nothing else; the engine never imports `vscode` or Node modules (the worker pool adapter excepted) nor
// its consumers; src/present (engine results → messages, tables, files) serves the CLI, the extension and the
// webview, so it imports neither vscode nor Node; the CLI and the extension do not import each other; the webview
// imports only src/shared and present's pure format and reportData.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeModules = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'util', 'url'];

/** The engine's import boundaries, plus `extra` patterns for some of its folders (a later block replaces the rule). */
function engineImports(files, extra) {
  return {
    files,
    ignores: ['src/engine/run/pool/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The engine never imports vscode (DESIGN.md).' }],
          patterns: [
            {
              group: nodeModules,
              message: 'The engine runs without Node modules; only the worker pool adapter may use them.',
            },
            {
              group: ['**/vscode/**', '**/cli/**', '**/webview/**', '**/present/**'],
              message: 'The engine does not depend on its consumers (src/shared, which imports nothing, it may use).',
            },
            ...extra,
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'demo-report/', 'test-artifacts/', '.vscode-test/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      eqeqeq: ['error', 'always'],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='eval']", message: 'User text is never evaluated.' },
        {
          selector: "NewExpression[callee.name='Function']",
          message: 'Code is generated from the IR, not from text at run time; use the JS backend.',
        },
      ],
    },
  },
  {
    // fdlibm's constants are written with their published 21 digits, which round to the intended doubles.
    files: ['src/engine/kernel/wasm/simd*.ts'],
    rules: { 'no-loss-of-precision': 'off' },
  },
  {
    // Tests reach into untyped JSON and browser objects; page.evaluate callbacks run in the browser.
    files: ['test/**/*.ts', 'test/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['webview/d3-contour.d.ts', 'webview/chartData.ts'],
    rules: { '@typescript-eslint/triple-slash-reference': 'off' },
  },
  engineImports(['src/engine/**/*.ts'], []),
  // Kernels compile step programs and runs plan with them: neither the program nor a kernel depends on runs.
  engineImports(
    ['src/engine/program/**/*.ts', 'src/engine/kernel/**/*.ts'],
    [{ group: ['**/run/**'], message: 'Kernels and step programs do not depend on runs (engine/program is shared).' }],
  ),
  {
    files: ['src/present/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The presentation layer serves the CLI and the webview too: no vscode.' }],
          patterns: [
            { group: nodeModules, message: 'The presentation layer is plain TypeScript: no Node modules.' },
            {
              group: ['**/vscode/**', '**/cli/**', '**/webview/**'],
              message:
                'The presentation layer turns engine results into data; its consumers depend on it, not it on them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/shared is imported by the webview and the engine: no vscode.' }],
          patterns: [
            { group: nodeModules, message: 'src/shared runs in the browser too: no Node modules.' },
            {
              group: ['**/engine/**', '**/present/**', '**/vscode/**', '**/cli/**', '**/webview/**'],
              message: 'src/shared (the validation toolkit and the protocols) imports only src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The CLI runs without VS Code.' }],
          patterns: [
            { group: ['**/vscode/**'], message: 'The CLI uses the engine and src/present, not the extension.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/vscode/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/cli/**'], message: 'The extension uses the engine and src/present, not the CLI.' }],
        },
      ],
    },
  },
  {
    files: ['webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Webview code runs in a browser: no vscode API.' }],
          patterns: [
            { group: nodeModules, message: 'Webview code runs in a browser: no Node modules.' },
            {
              group: [
                '**/src/engine/**',
                '**/src/vscode/**',
                '**/src/cli/**',
                '**/src/present/*',
                '!**/src/present/format',
                '!**/src/present/reportData',
              ],
              message:
                'The webview may import only src/shared (the protocol) and the pure helpers src/present/format and reportData, never the engine or the host.',
            },
          ],
        },
      ],
    },
  },
);
