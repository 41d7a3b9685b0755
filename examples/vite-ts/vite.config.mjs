import { defineConfig } from 'vite';
import { touchpointAlias } from '../vite-alias.mjs';

// `base: './'`: the built app works from any path (npm start serves it at /vite-ts/dist/).
export default defineConfig({ root: import.meta.dirname, base: './', resolve: { alias: touchpointAlias }, logLevel: 'warn', build: { emptyOutDir: true } });
