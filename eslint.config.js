import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'providers/**/*.ts', 'workers/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      // Configuration is parsed once at start; nothing else reads the environment.
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings from the parsed config.' },
      ],
    },
  },
  {
    // The pure core: functions of data and `now`. No Redis, queues, HTTP, files or environment, and
    // nothing from the edges that do those; they call into the core, never the other way round.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...['ioredis', 'bullmq', 'axios', 'fastify'].map((name) => ({
              name,
              message: 'src/core is pure: do the I/O at an edge and pass the data in.',
            })),
            ...['node:fs', 'node:fs/promises', 'fs', 'fs/promises'].map((name) => ({
              name,
              message: 'src/core reads no files: take the text as an argument.',
            })),
            ...['node:process', 'process'].map((name) => ({
              name,
              message: 'src/core reads no environment: take settings from the parsed config as arguments.',
            })),
          ],
          patterns: [
            {
              regex: '(^|/)(store|http|api|delivery|ingest|cli|replay|client|workers|providers)/',
              message: 'src/core imports nothing from the edges (src/store and the rest): they call into it.',
            },
            {
              regex: '(^|/)(config|app|logger|embedded-redis)\\.js$',
              message: 'src/core imports nothing from the edges: pass what it needs as arguments.',
            },
          ],
        },
      ],
    },
  },
);
