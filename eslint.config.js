// Lint: the recommended rules of ESLint and typescript-eslint, plus the few
// that keep the simulator deterministic and its code plain.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'prefer-const': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/bench/**'],
    rules: {
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'Use a named rng stream from the engine.' },
        { object: 'Date', property: 'now', message: 'Use virtual time from the engine.' },
        { object: 'performance', property: 'now', message: 'Use virtual time from the engine.' },
      ],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'process'],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date']", message: 'Use virtual time from the engine.' }],
    },
  },
);
