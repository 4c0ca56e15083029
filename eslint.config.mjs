import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Paths that ship in the browser-safe entries (`rxmcp`, `rxmcp/operators`).
const browserSafe = [
  'operators/**/*.ts',
  'src/index.ts',
  'src/errors.ts',
  'src/sse/**/*.ts',
  'src/jsonrpc/**/*.ts',
  'src/client/**/*.ts',
];
// Paths where time must come from rxjs schedulers (design.md, rule 3).
const virtualTime = [
  'operators/**/*.ts',
  'src/sse/**/*.ts',
  'src/transports/**/*.ts',
  'src/client/**/*.ts',
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'coverage/',
      'node_modules/',
      'artifacts/',
      '**/node_modules/',
      'examples/angular/dist/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: browserSafe,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*'],
              message: 'Browser-safe code must not import Node built-ins; put it under rxmcp/node.',
            },
          ],
        },
      ],
    },
  },
  {
    files: virtualTime,
    rules: {
      'no-restricted-globals': [
        'error',
        {
          name: 'setTimeout',
          message: 'Use rxjs timer() with an injectable scheduler (design.md rule 3).',
        },
        {
          name: 'setInterval',
          message: 'Use rxjs interval()/timer() with an injectable scheduler (design.md rule 3).',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Use scheduler.now() (design.md rule 3).',
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs', 'scripts/**', 'bench/**', 'examples/**'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        performance: 'readonly',
        AbortController: 'readonly',
        global: 'readonly',
        gc: 'readonly',
      },
    },
  },
  {
    files: ['examples/page/**/*.js'],
    languageOptions: {
      globals: { document: 'readonly', location: 'readonly', window: 'readonly' },
    },
  },
  prettier,
);
