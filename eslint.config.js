import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/.cache/**', 'var/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/shared/src/**', '../../shared/**'],
              message: 'Import @surgewatch/shared by package name.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts', 'test/**/*.{ts,mjs}', '*.js', '*.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    // kafkajs lives only in server/src/ingest (and in the test harnesses that play the collector).
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/ingest/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'kafkajs', message: 'kafkajs is imported only in server/src/ingest.' }] },
      ],
    },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@surgewatch/server', '**/server/**'],
              message: 'The client never imports the server.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
