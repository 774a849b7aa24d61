// Command-line options of `npm run sim`: the help text and argv → SimOptions.
import { parseArgs } from 'node:util';
import { FAULT_NAMES } from './faultNames.js';
import { MAX_SPEED, SimOptionsError, type SimOptions } from './options.js';
import { MIXED, SCENARIOS, SCENARIO_NAMES } from './scenarios/index.js';

export const HELP = `Usage: npm run sim -- [options]

Simulated bedside devices (monitor, ECMO console, infusion pumps, lab) publishing to an MQTT
broker as icu/{bed}/{device}/{stream} (docs/interface.md).

Options:
  --url URL           broker URL (mqtt://, mqtts://, ws://, wss://); default $MQTT_URL or mqtt://127.0.0.1:1883
  --username NAME     MQTT username; default $MQTT_USERNAME or "simulator"
  --password SECRET   MQTT password; default $DEVICE_PASSWORD
  --beds N|a,b,c      number of beds (bed-01, bed-02, ...) or bed ids; default 6
  --scenario NAME     ${MIXED} (default: a different scenario per bed) or one of:
${SCENARIO_NAMES.map((n) => `                        ${n.padEnd(18)} ${SCENARIOS[n].title}`).join('\n')}
  --speed X           simulated seconds per real second, more than 0 up to ${MAX_SPEED}; default 1
  --seed N            same seed, same messages; default 1
  --duration T        simulated time to run (600, 90s, 30m, 2h); default: until stopped
  --faults LIST       comma-separated faults to inject, or "all": ${FAULT_NAMES.join(', ')}
  --prefix P          first topic level; default icu
  --start TIME        message time of the run's start (ISO-8601 or epoch ms); default: now, or for
                      --speed > 1 with --duration, placed so the run ends now (no ts in the future)
  --offset T          scenario time at which the run starts (0 = T0); default: each scenario's demo
                      start (e.g. refractory-shock starts 15 min before ECMO flow)
  --connection MODE   per-device (default; own connection and last will per device) or shared
  --no-waveforms      numerics only, no abp/pleth chunks
  --history T         publish this much of each patient's past first (24h, 90m; at most 47h), fast:
                      numerics every 15 s, labs and pumps, no waves; then run live (speed 1 only)
  --help              this text

Message time: ts = start + simulated elapsed, so at --speed > 1 message times run faster than the
wall clock. The same --seed, --start and options publish the same values.
Progress goes to stderr every 5 s. Exit code 0 when done, 2 for bad options, 1 for broker errors.
`;

/** Seconds from "600", "90s", "30m", "2h". */
function parseDuration(text: string, name: string): number {
  const m = /^(-?\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m) throw new SimOptionsError(`${name}: expected seconds or a number with s, m or h, got "${text}"`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 's' | 'm' | 'h'];
}

function parseNumber(text: string, name: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new SimOptionsError(`${name}: expected a number, got "${text}"`);
  return n;
}

function parseStart(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(n)) throw new SimOptionsError(`start: expected ISO-8601 or epoch ms, got "${text}"`);
  return n;
}

export function optionsFromArgs(argv: string[], env: NodeJS.ProcessEnv): SimOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        beds: { type: 'string' },
        scenario: { type: 'string' },
        speed: { type: 'string' },
        seed: { type: 'string' },
        duration: { type: 'string' },
        faults: { type: 'string' },
        prefix: { type: 'string' },
        start: { type: 'string' },
        offset: { type: 'string' },
        connection: { type: 'string' },
        'no-waveforms': { type: 'boolean' },
        history: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new SimOptionsError((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const beds = v.beds ?? '6';
  return {
    url: v.url ?? env.MQTT_URL ?? 'mqtt://127.0.0.1:1883',
    username: v.username ?? env.MQTT_USERNAME ?? 'simulator',
    password: v.password ?? env.DEVICE_PASSWORD,
    beds: /^\d+$/.test(beds)
      ? Number(beds)
      : beds
          .split(',')
          .map((b) => b.trim())
          .filter(Boolean),
    scenario: v.scenario,
    speed: v.speed !== undefined ? parseNumber(v.speed, 'speed') : undefined,
    seed: v.seed !== undefined ? parseNumber(v.seed, 'seed') : undefined,
    durationS: v.duration !== undefined ? parseDuration(v.duration, 'duration') : undefined,
    faults: v.faults
      ? v.faults
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean)
      : undefined,
    prefix: v.prefix,
    startMs: v.start !== undefined ? parseStart(v.start) : undefined,
    offsetS: v.offset !== undefined ? parseDuration(v.offset, 'offset') : undefined,
    connection: v.connection as SimOptions['connection'],
    waveforms: !v['no-waveforms'],
    historyS: v.history !== undefined ? parseDuration(v.history, 'history') : undefined,
  };
}
