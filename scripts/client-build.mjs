// Builds the dashboard (client/) into dist/client when the build is missing or older than its
// sources, so `npm start` and the browser tests always serve what the code says.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_INDEX = join(root, 'dist', 'client', 'index.html');
const SOURCES = ['client', 'shared', 'vite.config.ts', 'package-lock.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

export function clientBuildIsFresh() {
  if (!existsSync(OUT_INDEX)) return false;
  const built = statSync(OUT_INDEX).mtimeMs;
  return SOURCES.every((s) => newestMtime(join(root, s)) <= built);
}

export async function ensureClientBuilt({ quiet = true } = {}) {
  if (clientBuildIsFresh()) return false;
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info' });
  return true;
}
