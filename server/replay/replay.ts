// Replay of a recorded case: reads one bed's device messages from a recording (SQLite, through the
// recorder) and publishes them back over MQTT with their original spacing, or faster. A case can so
// be reviewed, taught, or turned into a test fixture. Message times are shifted so the case ends
// now (the spacing is kept, and no message is ever ahead of the wall clock), unless the recorded
// times are asked for.
import mqtt from 'mqtt';
import type { Recorder, SampleRow } from '../record/recorder.js';

export interface ReplayOptions {
  bedId: string;
  fromMs: number;
  toMs: number;
  /** Recorded seconds per wall second (1 = real time). */
  speed: number;
  url: string;
  username: string;
  password?: string;
  prefix: string;
  /** Publish under another bed id (default: the recorded one). */
  asBedId?: string;
  /** Keep the recorded times (e.g. to import into another server within its 48 h window). */
  originalTimes: boolean;
  onProgress?: (p: { sent: number; total: number; recordedTs: number }) => void;
}

export interface ReplayMessage {
  ts: number;
  topic: string;
  /** The payload without its `ts`, which is set when sent. */
  body: Record<string, unknown>;
}

/** The bed's recorded device messages in [from, to], oldest first: one message per feed row, as devices sent them. */
export async function recordedMessages(
  rec: Recorder,
  o: Pick<ReplayOptions, 'bedId' | 'fromMs' | 'toMs' | 'prefix' | 'asBedId'>,
): Promise<ReplayMessage[]> {
  const bed = o.asBedId ?? o.bedId;
  const out: ReplayMessage[] = [];
  for (const feed of ['monitor', 'ecmo', 'lab'] as const) {
    let current: ReplayMessage | null = null;
    let currentKey = '';
    for (const s of await rec.recentSamples(o.bedId, feed, o.fromMs, o.toMs)) {
      const site = feed === 'lab' ? s.signal.split('.')[1] : '';
      const key = `${s.ts}/${site}`;
      if (!current || key !== currentKey) {
        current = {
          ts: s.ts,
          topic: feed === 'lab' ? `${o.prefix}/${bed}/lab/result` : `${o.prefix}/${bed}/${feed}/numerics`,
          body: feed === 'lab' ? { site, values: {} } : { values: {} },
        };
        currentKey = key;
        out.push(current);
      }
      (current.body.values as Record<string, number | null>)[keyOf(s)] = s.value;
    }
  }
  for (const p of await rec.infusions(o.bedId, o.fromMs, o.toMs)) {
    out.push({
      ts: p.ts,
      topic: `${o.prefix}/${bed}/pump/${p.channel}`,
      body: {
        drug: p.drug,
        rateMlH: p.rateMlH,
        concentration: p.concentration,
        concentrationUnit: p.concentrationUnit,
        running: p.running,
      },
    });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

function keyOf(s: SampleRow): string {
  return s.signal.startsWith('lab.') ? s.signal.slice(s.signal.lastIndexOf('.') + 1) : s.signal;
}

/** Publishes the messages paced by the wall clock; resolves with the number sent. */
export async function replay(messages: readonly ReplayMessage[], o: ReplayOptions, now: () => number = Date.now): Promise<number> {
  if (!messages.length) return 0;
  const client = await mqtt.connectAsync(o.url, { username: o.username, password: o.password, reconnectPeriod: 0 });
  try {
    const first = messages[0].ts;
    const last = messages[messages.length - 1].ts;
    const wallStart = now();
    const offset = o.originalTimes ? 0 : wallStart + (last - first) / o.speed - last;
    let sent = 0;
    let lastProgress = wallStart;
    for (const m of messages) {
      const due = wallStart + (m.ts - first) / o.speed;
      const wait = due - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await client.publishAsync(m.topic, JSON.stringify({ ts: Math.round(m.ts + offset), ...m.body }), { qos: 1 });
      sent++;
      if (o.onProgress && (now() - lastProgress >= 1000 || sent === messages.length)) {
        lastProgress = now();
        o.onProgress({ sent, total: messages.length, recordedTs: m.ts });
      }
    }
    return sent;
  } finally {
    await client.endAsync();
  }
}
