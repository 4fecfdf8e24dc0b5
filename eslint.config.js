// Flat config: type-aware rules for all TypeScript, plus the process boundaries of DESIGN.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'release/', 'drizzle/**/meta/', 'e2e/screenshots/', 'coverage/', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // One source of permissions: who may do what is asked of shared/permissions.ts, never of `role` inline.
    files: ['**/*.{ts,tsx}'],
    ignores: ['shared/permissions.ts', 'server/cli.ts', '**/*.test.ts', '**/test/**', 'e2e/**', 'bench/**', 'scripts/**'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "BinaryExpression[operator=/^[!=]==?$/][left.property.name='role'][right.value=/^(admin|agent)$/]", message: 'Use a named predicate of shared/permissions.ts (canX / hasAdminRole), not an inline role check.' },
        { selector: "BinaryExpression[operator=/^[!=]==?$/][right.property.name='role'][left.value=/^(admin|agent)$/]", message: 'Use a named predicate of shared/permissions.ts (canX / hasAdminRole), not an inline role check.' },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/electron/**', 'electron', '**/server/**'], message: 'The renderer knows nothing but the bridge (shared/bridge.ts).' },
        { group: ['node:*', 'fs', 'path', 'better-sqlite3', 'ws'], message: 'No Node in the renderer.' },
      ] }],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/host/**/*.ts'],
    // core tests start a real relay (server/testing.ts); only they may import server/
    ignores: ['electron/core/test/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'electron/*'], message: 'electron/core is plain Node: it runs under Node in tests and the browser host.' },
        { group: ['**/server/**', '**/renderer/**'], message: 'The core talks to the relay only over the protocol.' },
      ] }],
    },
  },
  {
    files: ['electron/core/test/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'electron/*'], message: 'electron/core is plain Node: it runs under Node in tests and the browser host.' },
        { group: ['**/renderer/**'], message: 'The core knows nothing of the renderer.' },
      ] }],
    },
  },
  {
    // The Electron shell: electron, shared/ and the core; never the browser host, the relay or the renderer.
    files: ['electron/main/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/host', '**/host/**', '**/server/**', '**/renderer/**', '**/preload/**'], message: 'electron/main may import electron, shared/ and electron/core only.' },
      ] }],
    },
  },
  {
    // Sandboxed preloads may only require 'electron': its contextBridge and ipcRenderer, and types from shared/.
    files: ['electron/preload/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'electron', allowImportNames: ['contextBridge', 'ipcRenderer'], message: 'The preload uses only contextBridge and ipcRenderer.' }],
        patterns: [
          { group: ['**/shared/**'], allowTypeImports: true, message: 'The sandboxed preload may import only types from shared/ (it is bundled with nothing but electron).' },
          { group: ['*', '!electron', '!**/shared/**'], message: 'The preload may import only electron (contextBridge, ipcRenderer) and shared/ types.' },
        ],
      }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts', 'shared/test/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', 'fs', 'path', 'crypto', 'better-sqlite3', 'ws', 'electron', 'react', '**/server/**', '**/electron/**', '**/renderer/**'], message: 'shared/ has no Node, DOM or Electron imports.' },
      ] }],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/electron/**', '**/renderer/**', 'electron'], message: 'The relay shares only shared/ with the clients.' },
      ] }],
    },
  },
);
