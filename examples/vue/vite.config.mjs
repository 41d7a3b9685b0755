import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { touchpointAlias } from '../vite-alias.mjs';
import { isTouchpointElement } from 'touchpoint/vue';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  resolve: { alias: touchpointAlias },
  // <tp-*> are custom elements, not Vue components: render them as they are.
  plugins: [vue({ template: { compilerOptions: { isCustomElement: isTouchpointElement } } })],
  logLevel: 'warn',
  build: { emptyOutDir: true },
});
