import { defineConfig } from 'vite';
import { touchpointAlias } from '../vite-alias.mjs';

// React's automatic JSX runtime through Vite's own transform (no plugin needed for a build).
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  resolve: { alias: touchpointAlias },
  oxc: { jsx: { runtime: 'automatic' } },
  logLevel: 'warn',
  build: { emptyOutDir: true },
});
