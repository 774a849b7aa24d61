// `npm run sim -- [options]`: the device simulators against any MQTT broker (help: cliOptions.ts).
import { HELP, optionsFromArgs } from './cliOptions.js';
import { SimOptionsError, type SimOptions, type SimProgress } from './options.js';
import { startSimulators } from './run.js';

function clock(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
}

/** bed-01: refractory-shock, … for a few beds; counts per scenario for many. */
function bedSummary(beds: readonly { bedId: string; scenario: string }[]): string {
  if (beds.length <= 9) return beds.map((b) => `${b.bedId}: ${b.scenario}`).join(', ');
  const counts = new Map<string, number>();
  for (const b of beds) counts.set(b.scenario, (counts.get(b.scenario) ?? 0) + 1);
  return [...counts].map(([scenario, n]) => `${n} × ${scenario}`).join(', ');
}

function progressLine(p: SimProgress): string {
  return `sim: ${p.beds} beds, ${p.messages} messages sent, simulated ${clock(p.simulatedS)} at ${p.speed}x (wall ${clock(p.wallS)})`;
}

async function main(): Promise<number> {
  let options: SimOptions | 'help';
  try {
    options = optionsFromArgs(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`sim: ${(err as Error).message}\nTry --help.\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  let handle;
  try {
    handle = await startSimulators({
      ...options,
      onProgress: (p) => process.stderr.write(`${progressLine(p)}\n`),
      onWarn: (m) => process.stderr.write(`sim: warning: ${m}\n`),
    });
  } catch (err) {
    process.stderr.write(`sim: ${(err as Error).message}\n`);
    return err instanceof SimOptionsError ? 2 : 1;
  }
  const h = handle;
  process.stderr.write(`sim: ${h.beds.length} beds (${bedSummary(h.beds)}); message time starts ${new Date(h.startMs).toISOString()}\n`);
  const stop = () => void h.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await h.done;
    return 0;
  } catch (err) {
    process.stderr.write(`sim: ${(err as Error).message}\n`);
    return 1;
  }
}

void main().then((code) => process.exit(code));
