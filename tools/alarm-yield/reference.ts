// A reference reading of CLINICAL.md section 4 (the default alarm conditions), applied to what the
// simulator publishes, second by second. It is NOT the alarm engine: it has no onset delays, no
// hysteresis and no latching, and it reads the messages the way the server would receive them. It
// exists to derive and check the scenarios' ground-truth labels (explore.ts, labels test) from the
// values the model really produces rather than from the keyframes alone.
import { phoenixMapPoints, lactateClearance, CLEARANCE_WINDOWS } from '../../shared/calc/scores.js';
import { o2Content, do2Ecmo, vo2Oxy, do2Vo2 } from '../../shared/calc/formulas.js';
import type { BedInfo } from '../../simulators/bed.js';
import type { SimOutput } from '../../simulators/messages.js';

const DEVICE_MAX_AGE_MS = 10_000;
const LAB_GAS_MAX_AGE_MS = 3600_000;
const LACTATE_MAX_AGE_MS = 6 * 3600_000;

interface Sample {
  ts: number;
  value: number;
}

/** Raw conditions of one second: key → priority (or true) while the condition holds. */
export type Conditions = Partial<Record<string, 'high' | 'medium' | 'low'>>;

export class ReferenceConditions {
  private readonly latest = new Map<string, Sample>();
  private readonly lactates: Sample[] = [];
  private readonly rOxyHistory: Sample[] = [];

  constructor(private readonly patient: BedInfo['patient']) {}

  observe(o: SimOutput): void {
    if (o.kind !== 'publish' || typeof o.payload === 'string' || o.fault) return;
    const p = o.payload as { ts?: number; site?: string; values?: Record<string, number | null> };
    if (!p.values || typeof p.ts !== 'number') return;
    if (o.device === 'lab') {
      for (const [k, v] of Object.entries(p.values)) {
        if (v === null || v === undefined) continue;
        this.set(`lab.${p.site}.${k}`, p.ts, v);
        if (k === 'lactate') {
          this.lactates.push({ ts: p.ts, value: v });
          this.lactates.sort((a, b) => a.ts - b.ts);
        }
      }
      return;
    }
    for (const [k, v] of Object.entries(p.values)) {
      if (v === null || v === undefined) this.latest.delete(`${o.device}.${k}`);
      else this.set(`${o.device}.${k}`, p.ts, v);
    }
  }

  private set(key: string, ts: number, value: number): void {
    const cur = this.latest.get(key);
    if (!cur || cur.ts <= ts) this.latest.set(key, { ts, value });
  }

  private fresh(key: string, nowMs: number, maxAgeMs: number): number | null {
    const s = this.latest.get(key);
    return s && nowMs - s.ts <= maxAgeMs ? s.value : null;
  }

  private first(nowMs: number, ...sources: [string, number][]): number | null {
    for (const [k, age] of sources) {
      const v = this.fresh(k, nowMs, age);
      if (v !== null) return v;
    }
    return null;
  }

  /** Values the conditions use, for inspection. */
  values(nowMs: number): Record<string, number | null> {
    const d = (k: string) => this.fresh(k, nowMs, DEVICE_MAX_AGE_MS);
    const flow = d('ecmo.flow');
    const hb = this.first(nowMs, ['ecmo.hb', DEVICE_MAX_AGE_MS], ['lab.arterial.hb', 12 * 3600_000]);
    const preSat = this.first(
      nowMs,
      ['ecmo.svo2', DEVICE_MAX_AGE_MS],
      ['lab.pre-oxygenator.so2', LAB_GAS_MAX_AGE_MS],
      ['lab.central-venous.so2', LAB_GAS_MAX_AGE_MS],
    );
    const prePo2 = this.first(nowMs, ['lab.pre-oxygenator.po2', LAB_GAS_MAX_AGE_MS], ['lab.central-venous.po2', LAB_GAS_MAX_AGE_MS]);
    const postSat = this.first(nowMs, ['ecmo.postOxySat', DEVICE_MAX_AGE_MS], ['lab.post-oxygenator.so2', LAB_GAS_MAX_AGE_MS]);
    const postPo2 = this.first(nowMs, ['ecmo.postOxyPo2', DEVICE_MAX_AGE_MS], ['lab.post-oxygenator.po2', LAB_GAS_MAX_AGE_MS]);
    const cao2 = o2Content(hb, postSat, postPo2);
    const cvo2 = o2Content(hb, preSat, prePo2);
    const ratio = do2Vo2(do2Ecmo(flow, cao2), vo2Oxy(flow, cao2, cvo2));
    const pPre = d('ecmo.pPre');
    const pPost = d('ecmo.pPost');
    const dp = pPre !== null && pPost !== null ? pPre - pPost : null;
    const lact = this.lactates.filter((l) => nowMs - l.ts <= LACTATE_MAX_AGE_MS);
    const clearance = lactateClearance(
      lact,
      CLEARANCE_WINDOWS.lactateClearance2h.windowMs,
      CLEARANCE_WINDOWS.lactateClearance2h.toleranceMs,
    );
    return {
      flow,
      rpm: d('ecmo.rpm'),
      pVen: d('ecmo.pVen'),
      pPost,
      dpOxy: dp,
      rOxy: dp !== null && flow !== null && flow > 0 ? dp / flow : null,
      preSat,
      postPo2,
      fdo2: d('ecmo.fdo2'),
      do2Vo2: ratio,
      map: d('monitor.map'),
      lactate: lact.length ? lact[lact.length - 1].value : null,
      lactateClearance2h: clearance?.value ?? null,
      tBlood: d('ecmo.tBlood'),
    };
  }

  /** The conditions of CLINICAL.md section 4 that hold at nowMs (no delays, no hysteresis). */
  evaluate(nowMs: number, ecmoPresent: boolean): Conditions {
    const v = this.values(nowMs);
    const c: Conditions = {};
    const va = this.patient.ecmoMode === 'VA';
    if (ecmoPresent && this.patient.ecmoMode) {
      if ((v.flow !== null && v.flow < 0.05) || v.rpm === 0) c.pumpStopped = 'high';
      if (v.flow !== null && v.flow < 0.8 * this.patient.targetFlowLMin) c.lowFlow = 'high';
      if (v.pVen !== null && v.pVen < -100) c.drainagePressure = 'high';
      if (v.pVen !== null && v.pVen < -70) c.drainagePressureWarning = 'medium';
      if (v.pPost !== null && v.pPost > 300) c.postOxyPressure = 'high';
      if (v.dpOxy !== null && v.dpOxy > 50) c.oxyPressureDrop = 'medium';
      if (v.rOxy !== null) {
        const hist = this.rOxyHistory.filter((s) => nowMs - s.ts <= 3600_000);
        this.rOxyHistory.splice(0, this.rOxyHistory.length, ...hist, { ts: nowMs, value: v.rOxy });
        if (hist.length > 600) {
          const mean = hist.reduce((a, s) => a + s.value, 0) / hist.length;
          if (mean > 0 && v.rOxy > 1.3 * mean) c.oxyPressureDrop = 'medium';
        }
      }
      if (v.postPo2 !== null && v.fdo2 !== null && v.postPo2 < 150 && v.fdo2 >= 60) c.postOxyPo2 = 'medium';
      if (va && v.do2Vo2 !== null && v.do2Vo2 < 3) c.deliveryRatio = 'medium';
      if (v.tBlood !== null && (v.tBlood < 35 || v.tBlood > 38.5)) c.bloodTemperature = 'low';
    }
    // Its sources include the central venous gas, so it can hold without ECMO (section 2).
    if (v.preSat !== null && v.preSat < 60) c.venousSaturation = v.preSat < 50 ? 'high' : 'medium';
    if (v.map !== null) {
      const points = phoenixMapPoints(v.map, this.patient.ageMonths);
      if (points === 2) c.hypotension = 'high';
      else if (points === 1) c.hypotension = 'medium';
    }
    if (v.lactate !== null && v.lactate >= 4) c.lactate = 'medium';
    if (v.lactateClearance2h !== null && v.lactateClearance2h < 0) c.lactateClearance = 'low';
    return c;
  }
}
