// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layering of ARCHITECTURE.md §7, enforced: `shared` imports nothing of
 * ours; `ui` and `player` only `shared`; only `capture` touches naudiodon;
 * only `engine` touches better-sqlite3; nothing imports the CLI or Electron main.
 */
const layer = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });
const ours = (...dirs) => dirs.map((d) => ({ group: [`**/${d}/**`, `../${d}/*`, `../../${d}/*`], message: `this layer may not import src/${d} (ARCHITECTURE.md §7)` }));
const pkg = (name, where) => ({ group: [name, `${name}/*`], message: `only ${where} may use ${name} (ARCHITECTURE.md §7)` });

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'recordings/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-control-regex': 'off', // case numbers are cleaned of control characters on purpose
    },
  },
  layer(['src/shared/**'], [...ours('engine', 'capture', 'cli', 'main', 'ui', 'player'), pkg('naudiodon', 'src/capture'), pkg('better-sqlite3', 'src/engine')]),
  layer(['src/ui/**', 'src/player/**'], [...ours('engine', 'capture', 'cli', 'main'), pkg('naudiodon', 'src/capture'), pkg('better-sqlite3', 'src/engine'), { group: ['node:*'], message: 'the UI never reaches Node' }]),
  layer(['src/capture/**'], [...ours('engine', 'cli', 'main', 'ui', 'player'), pkg('better-sqlite3', 'src/engine')]),
  layer(['src/engine/**'], [...ours('cli', 'main', 'ui', 'player'), pkg('naudiodon', 'src/capture')]),
  layer(['src/cli/**'], [...ours('ui', 'player', 'main'), pkg('naudiodon', 'src/capture'), pkg('better-sqlite3', 'src/engine')]),
  // Electron main only supervises: it starts `abk engine` and never loads the engine itself
  layer(['src/main/**'], [...ours('engine', 'capture', 'cli', 'ui', 'player'), pkg('naudiodon', 'src/capture'), pkg('better-sqlite3', 'src/engine')]),
);
