// `npm run replay -- --from-data DIR --bed BED [--from T] [--to T] [--speed X] [--url URL]`: publishes
// a recorded case back over MQTT (server/replay/replay.ts). Progress on stderr; exit 0 when done,
// 2 for bad options, 1 for errors.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CLOCK_SKEW_MS } from '../ingest/ingest.js';
import { SqliteRecorder } from '../record/sqlite.js';
import { recordedMessages, replay } from './replay.js';

const HELP = `Usage: npm run replay -- --from-data DIR --bed BED [options]

Publishes one bed's recorded device messages (monitor, ECMO console, lab, pumps) back over MQTT
with their original spacing, or faster. Message times are shifted so the case ends now.

Options:
  --from-data DIR     the recording's directory (DATA_DIR of the server that recorded it)
  --bed BED           the recorded bed
  --as BED            publish under another bed id (default: the same)
  --from TIME         start of the case (ISO-8601 or epoch ms); default: 24 h before --to
  --to TIME           end of the case; default: now (and the 5 s a device clock may run ahead)
  --speed X           recorded seconds per real second; default 1
  --url URL           broker; default $MQTT_URL or mqtt://127.0.0.1:1883
  --username NAME     default "replay"
  --password SECRET   default $DEVICE_PASSWORD
  --prefix P          default icu
  --original-times    keep the recorded times instead of shifting them to now
  --help              this text
`;

function time(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const n = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(n)) throw new Error(`${name}: ISO-8601 or epoch ms expected, got "${text}"`);
  return n;
}

async function main(): Promise<number> {
  let v;
  try {
    v = parseArgs({
      options: {
        'from-data': { type: 'string' },
        bed: { type: 'string' },
        as: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        speed: { type: 'string' },
        url: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        prefix: { type: 'string' },
        'original-times': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (err) {
    process.stderr.write(`replay: ${(err as Error).message}\nTry --help.\n`);
    return 2;
  }
  if (v.help) {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    const dir = resolve(v['from-data'] ?? '');
    if (!v['from-data'] || !existsSync(join(dir, 'recording.sqlite'))) throw new Error(`--from-data: no recording in "${dir}"`);
    if (!v.bed) throw new Error('--bed: which recorded bed to replay');
    // A recording holds times up to CLOCK_SKEW_MS ahead of its server's clock (a device slightly
    // ahead keeps its own ts), so "until now" must reach that far or the case's last messages are lost.
    const toMs = time(v.to, Date.now() + CLOCK_SKEW_MS, '--to');
    const fromMs = time(v.from, toMs - 24 * 3600_000, '--from');
    const speed = v.speed === undefined ? 1 : Number(v.speed);
    if (!(speed > 0) || speed > 10_000) throw new Error('--speed: more than 0, at most 10000');
    const rec = new SqliteRecorder(dir);
    const prefix = v.prefix ?? 'icu';
    const messages = await recordedMessages(rec, { bedId: v.bed, fromMs, toMs, prefix, asBedId: v.as });
    await rec.close();
    if (!messages.length)
      throw new Error(`no recorded messages of bed ${v.bed} between ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()}`);
    const spanS = (messages[messages.length - 1].ts - messages[0].ts) / 1000;
    process.stderr.write(`replay: ${messages.length} messages of bed ${v.bed} over ${Math.round(spanS)} s at ${speed}x\n`);
    const sent = await replay(messages, {
      bedId: v.bed,
      asBedId: v.as,
      fromMs,
      toMs,
      speed,
      url: v.url ?? process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883',
      username: v.username ?? 'replay',
      password: v.password ?? process.env.DEVICE_PASSWORD,
      prefix,
      originalTimes: !!v['original-times'],
      onProgress: (p) =>
        process.stderr.write(`replay: ${p.sent}/${p.total} messages, recorded time ${new Date(p.recordedTs).toISOString()}\n`),
    });
    process.stderr.write(`replay: done, ${sent} messages\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`replay: ${(err as Error).message}\n`);
    return (err as Error).message.startsWith('--') ? 2 : 1;
  }
}

void main().then((code) => process.exit(code));
