import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  // The cashier's screen (src/ui) is built into dist/ui and served by every terminal host.
  root: `${root}src/ui`,
  base: './',
  plugins: [vue()],
  // vue-i18n's feature flags for the esm-bundler build: Composition API only, no devtools hooks.
  define: {
    __VUE_I18N_LEGACY_API__: false,
    __VUE_I18N_FULL_INSTALL__: true,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  resolve: {
    // The browser loads automerge's wasm as a separate, cached asset (main.ts initializes it), so
    // in the UI build every import of automerge resolves to its "slim" build without the inlined
    // wasm. Tests run in Node, where the full build loads its wasm by itself.
    alias: process.env.VITEST
      ? []
      : [
          { find: /^@automerge\/automerge$/, replacement: '@automerge/automerge/slim' },
          { find: /^@automerge\/automerge-repo$/, replacement: '@automerge/automerge-repo/slim' },
        ],
  },
  build: {
    outDir: `${root}dist/ui`,
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
    chunkSizeWarningLimit: 2000,
  },
  test: {
    root,
    include: ['tests/**/*.test.ts'],
    // Real processes on a loaded 2-core machine: a test's own deadline is tens of seconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A poll waits for a condition carried by real processes over real sockets: on a loaded
    // 2-core machine that takes seconds, never the default 1 s. Tests that wait for the LAN
    // still pass their own deadline.
    expect: { poll: { timeout: 30_000, interval: 100 } },
    // Integration tests start real processes and bind real ports; keep the 2-core machine calm.
    maxWorkers: 2,
    // Only the browser-side unit tests run in happy-dom (they say so in their first line).
  },
});
