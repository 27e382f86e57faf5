import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

// The API server the dev server forwards to (`pnpm dev` runs it on the default port).
const API_TARGET = 'http://localhost:8080';

/**
 * In development `/login` is the login form (login.html from source), as the server serves it
 * in production; `/login?token=…` goes on to the server, which logs in and redirects.
 */
const loginPage: Plugin = {
  name: 'surgewatch-login-page',
  configureServer(server) {
    server.middlewares.use((req, _res, next) => {
      const url = req.url ?? '';
      if (/^\/login(\?|$)/.test(url) && !/[?&]token=/.test(url)) {
        req.url = `/login.html${url.slice('/login'.length)}`;
      }
      next();
    });
  },
};

export default defineConfig({
  plugins: [react(), loginPage],
  // `source` first so @surgewatch/shared resolves to its TypeScript source: the client never
  // depends on shared having been built.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  // One page loaded once and left running for weeks: a single ~700 kB bundle (React + recharts)
  // is fine, so the size warning is raised rather than the app split.
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    chunkSizeWarningLimit: 900,
    // two pages: the dashboard and the login page (served at /login, public)
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        login: fileURLToPath(new URL('login.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      // the server refuses sockets and POSTs from other origins: the dev page (:5173) speaks
      // as the API's own origin through the proxy
      '/socket.io': {
        target: API_TARGET,
        ws: true,
        changeOrigin: true,
        headers: { origin: API_TARGET },
      },
      '/api': { target: API_TARGET, changeOrigin: true, headers: { origin: API_TARGET } },
      '/healthz': { target: API_TARGET, changeOrigin: true },
      // /login?token=… logs in on the server (the form itself: the plugin above)
      '^/login\\?': { target: API_TARGET, changeOrigin: true },
    },
  },
});
