import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', '**/dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.touchpoint/**', 'bench/results/**', '.tmp/**', 'custom-elements.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node, DEV_MODE: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-empty': ['error', { allowEmptyCatch: true }],
      'no-empty-pattern': 'off',
    },
  },
  {
    // The SDK core stays framework-free: lit belongs to components/ only.
    files: ['src/**/*.ts', 'components/**/*.ts'],
    rules: {
      'no-console': ['error'],
    },
  },
  {
    // The SDK core stays framework-free: lit belongs to components/ only.
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['lit', 'lit/*', '@lit/*'], message: 'src/ is framework-free: lit belongs in components/.' }] }] },
  },
  {
    files: ['scripts/**/*.mjs', 'bench/**/*.mjs', '*.mjs', 'examples/**/*.js', 'src/snippet/*.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
);
