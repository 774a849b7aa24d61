// `npm start` step one: build the dashboard if its build is missing or stale.
import { ensureClientBuilt } from './client-build.mjs';

const built = await ensureClientBuilt({ quiet: true });
if (built) console.log('dashboard built into dist/client');
