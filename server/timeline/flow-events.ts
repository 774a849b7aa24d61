// Device-detected timeline candidates from the pump flow of one bed (docs/clinical.md section 5):
// `ecmo_flow_start` when flow rises above 0.1 L/min after at least 60 s at zero, then
// `target_flow_reached` when it first reaches the bed's target, and `decannulation` when, after a
// run, flow stays at zero. Candidates only: a researcher confirms, moves or dismisses them. Pure:
// fed the flow samples in measurement-time order (a late or replayed sample detects at its own ts).
import type { EventType } from '../../shared/schemas.js';

/** Above this the pump is running (section 5's flow-start threshold). */
const FLOW_RUNNING_LMIN = 0.1;
/** Flow must have been at zero this long before a rise counts as a start (section 5). */
const ZERO_BEFORE_START_MS = 60_000;
/**
 * After a run, zero flow for this long is a decannulation candidate (dated when flow reached zero).
 * Section 5 says only "when flow stays at zero"; an hour keeps clamp trials and circuit changes,
 * which last minutes, from being taken for the end of support.
 */
export const ZERO_FOR_DECANNULATION_MS = 3600_000;

export interface DetectedEvent {
  type: EventType;
  ts: number;
  note: string;
}

export class FlowEventDetector {
  private lastTs = -Infinity;
  /** Since when flow has been at zero (null while running or before any sample). */
  private zeroSince: number | null = null;
  private running = false;
  /** A run started by a detected flow start, still waiting to reach its target. */
  private awaitingTarget = false;
  private decannulationReported = false;

  /** One flow sample; returns the events it completes (usually none). */
  sample(ts: number, flowLMin: number | null, targetLMin: number | null): DetectedEvent[] {
    if (ts <= this.lastTs || flowLMin === null) return [];
    this.lastTs = ts;
    const out: DetectedEvent[] = [];
    if (flowLMin > FLOW_RUNNING_LMIN) {
      if (!this.running && this.zeroSince !== null && ts - this.zeroSince >= ZERO_BEFORE_START_MS) {
        out.push({
          type: 'ecmo_flow_start',
          ts,
          note: `flow ${flowLMin} L/min after ${zeroFor(ts - this.zeroSince)} at zero`,
        });
        this.awaitingTarget = true;
      }
      this.running = true;
      this.zeroSince = null;
      this.decannulationReported = false;
      if (this.awaitingTarget && targetLMin !== null && flowLMin >= targetLMin) {
        out.push({ type: 'target_flow_reached', ts, note: `flow ${flowLMin} L/min, target ${Math.round(targetLMin * 100) / 100} L/min` });
        this.awaitingTarget = false;
      }
      return out;
    }
    if (this.zeroSince === null) this.zeroSince = ts;
    if (this.running && !this.decannulationReported && ts - this.zeroSince >= ZERO_FOR_DECANNULATION_MS) {
      out.push({ type: 'decannulation', ts: this.zeroSince, note: `flow at zero for ${Math.round((ts - this.zeroSince) / 60_000)} min` });
      this.decannulationReported = true;
      this.running = false;
      this.awaitingTarget = false;
    }
    return out;
  }
}

/** How long flow was at zero, in the unit a reader wants: seconds, minutes, or hours and minutes. */
function zeroFor(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  return min < 120 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}
