// The timeline stage: device-detected event candidates per bed (flow-events.ts), and the markers
// recorded with every event — the patient at that moment (docs/clinical.md section 5). Reads state
// and calc; knows no transport.
import { DERIVED, PARAMS, maxAgeOfSignal } from '../../shared/catalogue.js';
import type { EventMarkerValue } from '../../shared/protocol.js';
import { EVENT_MARKERS, type EventMarker } from '../../shared/timeline.js';
import type { CalcEngine } from '../calc/engine.js';
import type { BedState } from '../state/bed.js';
import { FlowEventDetector, type DetectedEvent } from './flow-events.js';

/** Derived markers are taken from the live values only for an event this close to now. */
const LIVE_MARKER_WINDOW_MS = 10_000;
const RAW_MARKERS: Partial<Record<EventMarker, string>> = { map: 'map', flow: 'flow', svo2: 'svo2' };

export class Timeline {
  private readonly detectors = new Map<string, FlowEventDetector>();

  constructor(private readonly calc: CalcEngine) {}

  /** A flow sample of a bed (in measurement time); returns the candidates it completes. */
  flowSample(bed: BedState, ts: number, flow: number | null): DetectedEvent[] {
    let d = this.detectors.get(bed.bedId);
    if (!d) this.detectors.set(bed.bedId, (d = new FlowEventDetector()));
    return d.sample(ts, flow, bed.limits().targetFlowLMin);
  }

  /**
   * The markers at `ts`: each measured marker's newest value at or before `ts` with its age then;
   * lactate from the results; computed markers (VIS, Phoenix, DO2i) from the live values when the
   * event is within seconds of now, else null (not known for a past moment).
   */
  markersAt(bed: BedState, ts: number, nowMs: number): Record<EventMarker, EventMarkerValue | null> {
    const out = {} as Record<EventMarker, EventMarkerValue | null>;
    const live = Math.abs(nowMs - ts) <= LIVE_MARKER_WINDOW_MS;
    const derived = this.calc.derivedOf(bed);
    for (const m of EVENT_MARKERS) {
      const signal = RAW_MARKERS[m];
      if (signal) {
        out[m] = this.rawAt(bed, signal, ts);
      } else if (m === 'lactate') {
        out[m] = lactateAt(bed, ts);
      } else {
        const dv = live ? derived[m] : undefined;
        out[m] =
          dv && dv.value !== null
            ? {
                value: dv.value,
                unit: DERIVED[m as keyof typeof DERIVED].unit,
                ageS: dv.ts ? Math.max(0, Math.round((ts - dv.ts) / 1000)) : null,
                quality: dv.quality,
              }
            : null;
      }
    }
    return out;
  }

  forget(bedId: string): void {
    this.detectors.delete(bedId);
  }

  private rawAt(bed: BedState, signal: string, ts: number): EventMarkerValue | null {
    const ring = bed.rings.get(signal);
    if (!ring) return null;
    // The newest sample at or before ts.
    let i = ring.lowerBound(ts + 1) - 1;
    while (i >= 0 && Number.isNaN(ring.valueAt(i))) i--;
    if (i < 0) return null;
    const ageS = Math.max(0, Math.round((ts - ring.tsAt(i)) / 1000));
    return {
      value: ring.valueAt(i),
      unit: PARAMS[signal as keyof typeof PARAMS].unit,
      ageS,
      quality: ageS > maxAgeOfSignal(signal) ? 'stale' : 'ok',
    };
  }
}

function lactateAt(bed: BedState, ts: number): EventMarkerValue | null {
  let best: { ts: number; value: number } | null = null;
  for (const r of bed.lactates) if (r.ts <= ts && (!best || r.ts > best.ts)) best = r;
  if (!best) return null;
  const ageS = Math.round((ts - best.ts) / 1000);
  return { value: best.value, unit: PARAMS.lactate.unit, ageS, quality: ageS > PARAMS.lactate.maxAgeS ? 'stale' : 'ok' };
}
