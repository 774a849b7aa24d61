import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alarm } from '../shared/protocol.js';
import { WardAlarms } from './alarms/ward.js';
import { CalcEngine } from './calc/engine.js';
import { Ingest } from './ingest/ingest.js';
import { CALC_EVERY_MS, Pipeline, tickSlot, type BedChange } from './pipeline.js';
import { SqliteRecorder } from './record/sqlite.js';
import { Beds } from './state/beds.js';
import { Timeline } from './timeline/timeline.js';

describe('tick slots', () => {
  it('put every bed in exactly one slot, the same one every time', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 32 }), fc.integer({ min: 1, max: 50 }), (bedId, parts) => {
        const slot = tickSlot(bedId, parts);
        expect(slot).toBeGreaterThanOrEqual(0);
        expect(slot).toBeLessThan(parts);
        expect(tickSlot(bedId, parts)).toBe(slot);
      }),
    );
    expect(tickSlot('bed-01', 1)).toBe(0);
  });

  it('spread a ward evenly enough over ten slots that no tenth of a second carries much more than its share', () => {
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 500; i++) counts[tickSlot(`b${i}`, 10)]++;
    expect(Math.max(...counts)).toBeLessThanOrEqual(75); // 50 each on average
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(25);
  });
});

describe('derived values in a burst of messages', () => {
  const T0 = Date.parse('2026-11-29T10:00:00Z');
  let clock = T0;
  let dir: string;
  let recorder: SqliteRecorder;
  let calc: CalcEngine;
  let beds: Beds;
  let pipeline: Pipeline;
  let alarms: Alarm[];
  let changes: BedChange[];
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o));
  const consoleMessage = (ts: number, seq: number, flow: number, rpm = 3100) =>
    enc({ ts, seq, values: { rpm, flow, pPre: 180, pPost: 150, hb: 11, svo2: 70, postOxySat: 99 } });

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    clock = T0;
    dir = mkdtempSync(join(tmpdir(), 'ecmo-pipeline-'));
    recorder = new SqliteRecorder(dir);
    calc = new CalcEngine();
    beds = new Beds();
    alarms = [];
    changes = [];
    pipeline = new Pipeline({
      ingest: new Ingest({ prefix: 'icu' }),
      beds,
      calc,
      alarms: new WardAlarms(calc),
      timeline: new Timeline(calc),
      recorder,
      stream: {
        bedChanged: (_bed, change) => changes.push(change),
        waveform: () => {},
        overviewChanged: () => {},
        alarm: (a) => alarms.push(a),
        event: () => {},
      },
      log: pino({ level: 'silent' }),
      now: () => clock,
    });
    await pipeline.setPatient('b1', { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' }, 'test');
    pipeline.brokerChanged(true);
    clock += 1000; // the patient's own recompute is long past
  });

  afterEach(async () => {
    pipeline.stop();
    vi.useRealTimers();
    await recorder.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are recomputed once for 50 messages of a bed within the window, then from the last of them; every sample is kept', async () => {
    const recompute = vi.spyOn(calc, 'recompute');
    for (let i = 0; i < 50; i++) pipeline.process('icu/b1/ecmo/numerics', consoleMessage(clock - 500 + i, i, 1 + i / 100));
    expect(recompute).toHaveBeenCalledTimes(1); // the first message's, at once
    const bed = beds.get('b1')!;
    expect(bed.latest.get('flow')?.value).toBe(1.49);
    expect(calc.derivedOf(bed).flowPerKg.value).toBeCloseTo((1 * 1000) / 20, 6); // still the first message's (mL/kg/min)

    clock += CALC_EVERY_MS;
    vi.advanceTimersByTime(CALC_EVERY_MS);
    expect(recompute).toHaveBeenCalledTimes(2); // the burst's, once
    expect(calc.derivedOf(bed).flowPerKg.value).toBeCloseTo((1.49 * 1000) / 20, 6);
    expect(changes.at(-1)?.derived).toContain('flowPerKg'); // and the stream is told

    const flows = await recorder.samples('b1', ['flow'], T0, clock);
    expect(flows.map((r) => r.value)).toEqual(Array.from({ length: 50 }, (_, i) => 1 + i / 100));
  });

  it('recompute a message that comes after the window at once', () => {
    const recompute = vi.spyOn(calc, 'recompute');
    pipeline.process('icu/b1/ecmo/numerics', consoleMessage(clock, 1, 1.2));
    clock += CALC_EVERY_MS;
    pipeline.process('icu/b1/ecmo/numerics', consoleMessage(clock, 2, 1.4));
    expect(recompute).toHaveBeenCalledTimes(2);
    expect(calc.derivedOf(beds.get('b1')!).flowPerKg.value).toBeCloseTo((1.4 * 1000) / 20, 6);
  });

  it('never delay an alarm on a measured value: the pump stopped is raised on its own message, inside a burst', () => {
    const recompute = vi.spyOn(calc, 'recompute');
    pipeline.process('icu/b1/ecmo/numerics', consoleMessage(clock, 1, 1.2));
    pipeline.process('icu/b1/ecmo/numerics', consoleMessage(clock + 1, 2, 0, 0));
    expect(recompute).toHaveBeenCalledTimes(1); // the second message's recompute waits…
    expect(alarms).toEqual([expect.objectContaining({ key: 'pumpStopped', state: 'active' })]); // …its alarm does not
  });

  it('drop the waiting recompute of a bed discharged meanwhile', async () => {
    pipeline.process('icu/b1/ecmo/numerics', consoleMessage(clock, 1, 1.2));
    pipeline.process('icu/b1/ecmo/numerics', consoleMessage(clock + 1, 2, 1.3));
    await pipeline.discharge('b1', 'test');
    const recompute = vi.spyOn(calc, 'recompute');
    vi.advanceTimersByTime(CALC_EVERY_MS);
    expect(recompute).not.toHaveBeenCalled();
  });
});
