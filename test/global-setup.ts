// Builds the dashboard once before the browser tests (skipped when the build is newer than its sources).
import { ensureClientBuilt } from '../scripts/client-build.mjs';

export default async function setup(): Promise<void> {
  await ensureClientBuilt();
}
