import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The dashboard: client/ is the Vite root; the build lands in dist/client, which the server serves.
// `npm run dev` proxies REST and Socket.IO to a server on DEV_API (default http://127.0.0.1:8080).
const api = process.env.DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: 'client',
  plugins: [svelte()],
  build: { outDir: '../dist/client', emptyOutDir: true, sourcemap: true },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': api,
      '/socket.io': { target: api, ws: true },
    },
  },
});
