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
    files: ['src/**/*.ts', 'cdn/**/*.ts', 'components/**/*.ts'],
    rules: {
      'no-console': ['error'],
    },
  },
  // Layering (issue #26), checked on every lint: src/ (the SDK) imports
  // nothing outside itself; components/ only the SDK's public entries
  // (`touchpoint`, `touchpoint/protocol`, `touchpoint/host`…), never src/ by
  // path; server/ only the wire contract, `touchpoint/protocol`. cdn/ is the
  // composition root above SDK and elements, so it may import both.
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['lit', 'lit/*', '@lit/*'], message: 'src/ is framework-free: lit belongs in components/.' },
            { group: ['**/components/**', '**/server/**', '**/cdn/**', '**/frameworks/**', '**/test/**'], message: 'src/ imports nothing outside src/ (the script-tag entry that composes SDK and elements is cdn/).' },
          ],
        },
      ],
    },
  },
  {
    files: ['components/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/src/**', '**/server/**', '**/cdn/**'], message: "components/ import only the SDK's public entries: touchpoint, touchpoint/protocol, touchpoint/host." }] },
      ],
    },
  },
  {
    // The React and Vue bindings wrap the package as an app sees it: its public entries only.
    files: ['frameworks/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*', '../**'], message: "frameworks/ import only the package's public entries (touchpoint, touchpoint/components/…), never a folder by path." }] },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'touchpoint', message: 'server/ imports only the wire contract, touchpoint/protocol.' }],
          patterns: [
            { group: ['touchpoint/*', '!touchpoint/protocol'], message: 'server/ imports only the wire contract, touchpoint/protocol.' },
            { group: ['**/src/**', '**/components/**', '**/cdn/**'], message: 'server/ imports only the wire contract, touchpoint/protocol (not the SDK or the elements by path).' },
          ],
        },
      ],
    },
  },
  {
    // Repositories own SQL (issue #26): a route validates, authorises and calls them.
    files: ['server/routes/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        // `.exec` of a regular expression literal is not SQL.
        { selector: "CallExpression > MemberExpression.callee[property.name='query'], CallExpression > MemberExpression.callee[property.name='exec'][object.type!='Literal']", message: 'SQL belongs in server/repositories/ (or the report or service that owns it), not in a route handler.' },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bench/**/*.mjs', '*.mjs', 'examples/**/*.js', 'src/snippet/*.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
);
