// After a restart the live state is rebuilt from the recording: beds, patients, recent samples
// (the ring buffers' hour; lab results further back, as their maximum ages are hours) and the
// newest message of each pump channel. Nothing is shown as current that was not: every value keeps
// its own measurement time.
import type { CalcEngine } from '../calc/engine.js';
import { inShard, type Shard } from '../ingest/shard.js';
import type { Beds } from '../state/beds.js';
import type { Recorder } from './recorder.js';

const RECENT_MS = 3600_000;
/** Lab values matter for up to 12 h (hb) and lactate clearance looks back 7 h. */
const LAB_RECENT_MS = 12 * 3600_000;
/** A pump channel silent for longer than this is no longer part of the picture. */
const PUMP_RECENT_MS = 2 * 3600_000;

export function restoreFromRecording(rec: Recorder, beds: Beds, calc: CalcEngine, nowMs: number, shard: Shard | null): number {
  const patients = rec.loadPatients();
  let restored = 0;
  for (const bedId of rec.listBeds()) {
    if (shard && !inShard(bedId, shard)) continue;
    const bed = beds.restore(bedId, patients.get(bedId) ?? null);
    for (const feed of ['monitor', 'ecmo', 'lab'] as const) {
      const from = nowMs - (feed === 'lab' ? LAB_RECENT_MS : RECENT_MS);
      for (const s of rec.recentSamples(bedId, feed, from, nowMs)) {
        bed.addSample(s.signal, s.ts, s.value, s.source, false);
        calc.addSample(bed, s.signal, s.ts, s.value);
        restored++;
      }
    }
    for (const p of rec.infusions(bedId, nowMs - PUMP_RECENT_MS, nowMs)) {
      bed.setPump(
        p.channel,
        {
          ts: p.ts,
          drug: p.drug,
          rateMlH: p.rateMlH,
          concentration: p.concentration,
          concentrationUnit: p.concentrationUnit as 'mcg/mL',
          running: p.running,
        },
        p.ts,
      );
    }
    calc.recompute(bed, nowMs);
  }
  return restored;
}
