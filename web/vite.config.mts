import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/** The service's address while developing the page with `npm run dev:web`. */
const service = process.env.DASHBOARD_API_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root,
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The service serves every file itself: nothing may be inlined as a data: URL or fetched elsewhere.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  server: {
    proxy: { '/graphql': { target: service, ws: true } },
  },
});
