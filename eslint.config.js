// ESLint (typescript-eslint, type-aware) over the TypeScript of the project; formatting is Prettier's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'reports/', '.data/', 'coverage/', 'src/web/dist/', 'src/web/api/openapi.d.ts', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // an async function without await still promises: interfaces and handlers keep one shape
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // tests read HTTP answers (supertest gives `any` bodies) and assert on them
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // cells read back with exceljs are unions of objects; tests print them as they are
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  { files: ['drizzle.config.ts'], languageOptions: { parserOptions: { projectService: false, project: null } }, ...tseslint.configs.disableTypeChecked },
);
