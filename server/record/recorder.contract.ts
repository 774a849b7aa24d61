// The recorder contract: one suite that every recorder must pass (SQLite today; a PostgreSQL
// recorder for scale-out later), as aedes-persistence's abstract suite serves every persistence.
// It speaks only through the Recorder interface.
import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../shared/protocol.js';
import type { Recorder } from './recorder.js';

export interface RecorderFactory {
  /** A new, empty recorder. */
  open(): Promise<Recorder>;
  /** The same recording again after `close` (what a restart sees). */
  reopen(closed: Recorder): Promise<Recorder>;
  /** Removes what `open` created. */
  dispose(r: Recorder): Promise<void>;
}

const T = 1_800_000_000_000;
const dv = (value: number | null, quality: 'ok' | 'stale' | 'assumed' | 'missing' = 'ok') => ({ value, unit: '', ts: T, quality });

function alarm(o: Partial<Alarm> = {}): Alarm {
  return {
    id: 'b1:drainagePressure:1000',
    bedId: 'b1',
    key: 'drainagePressure',
    kind: 'physiological',
    priority: 'high',
    message: 'Drainage pressure -150 mmHg, below -100 mmHg',
    value: -150,
    limit: -100,
    state: 'active',
    latched: false,
    raisedAt: 1000,
    clearedAt: null,
    ackedBy: null,
    ackedAt: null,
    ...o,
  };
}

export function recorderContract(name: string, factory: RecorderFactory): void {
  describe(`recorder contract: ${name}`, () => {
    async function withRecorder(f: (r: Recorder) => Promise<void>): Promise<void> {
      const r = await factory.open();
      try {
        await f(r);
      } finally {
        await factory.dispose(r);
      }
    }

    it('keeps device messages: a sensor off (null) apart from a key not sent, lab values per site, and a replay only once', () =>
      withRecorder(async (r) => {
        const m = {
          bedId: 'b1',
          feed: 'monitor' as const,
          ts: T,
          values: [
            { signal: 'hr', value: 90 },
            { signal: 'cvp', value: null },
          ],
        };
        r.addMeasurement(m);
        r.addMeasurement(m);
        r.addMeasurement({ bedId: 'b1', feed: 'lab', ts: T, values: [{ signal: 'lab.arterial.lactate', value: 3.1 }] });
        r.addMeasurement({ bedId: 'b1', feed: 'lab', ts: T, values: [{ signal: 'lab.venous.lactate', value: 2.2 }] });
        expect((await r.samples('b1', ['hr', 'cvp', 'map'], T - 1, T + 1)).map((s) => [s.signal, s.value])).toEqual([
          ['hr', 90],
          ['cvp', null],
        ]);
        expect((await r.samples('b1', ['lab.venous.lactate'], 0, T + 1)).map((s) => s.value)).toEqual([2.2]);
        expect(await r.recentSamples('b1', 'monitor', 0, T + 1)).toHaveLength(2);
        expect((await r.minuteAggregates('b1', ['hr'], 0, T / 60_000 + 1)).map((a) => a.n)).toEqual([1]);
      }));

    it('says when what was queued is written: at the next batch, in order, and at once when nothing waits', () =>
      withRecorder(async (r) => {
        const calls: string[] = [];
        r.whenWritten(() => calls.push('idle'));
        await new Promise((done) => setTimeout(done, 0));
        expect(calls).toEqual(['idle']);
        r.addMeasurement({ bedId: 'b1', feed: 'monitor', ts: T, values: [{ signal: 'hr', value: 91 }] });
        r.whenWritten(() => calls.push(`first, pending ${r.pending()}`));
        r.addMeasurement({ bedId: 'b1', feed: 'monitor', ts: T + 1000, values: [{ signal: 'hr', value: 92 }] });
        r.whenWritten(() => calls.push(`second, pending ${r.pending()}`));
        expect(calls).toEqual(['idle']); // not before the batch is written
        await new Promise<void>((done) => r.whenWritten(done));
        expect(calls).toEqual(['idle', 'first, pending 0', 'second, pending 0']);
        expect((await r.samples('b1', ['hr'], T, T + 1000)).map((x) => x.value)).toEqual([91, 92]);
      }));

    it('keeps derived values, pump messages and waveforms, and writes what is queued when flushed or closed', () =>
      withRecorder(async (r) => {
        r.addDerived({ bedId: 'b1', ts: T, values: { vis: dv(12), do2i: dv(null, 'missing') } });
        r.addInfusion({
          bedId: 'b1',
          channel: 'ch1',
          ts: T,
          drug: 'norepinephrine',
          rateMlH: 3,
          concentration: 40,
          concentrationUnit: 'mcg/mL',
          running: true,
        });
        r.addWaveform({ bedId: 'b1', signal: 'abp', ts: T, rateHz: 125, samples: [80, 81, 82] });
        expect(r.pending()).toBeGreaterThan(0);
        await r.flush();
        expect(r.pending()).toBe(0);
        expect((await r.samples('b1', ['vis'], 0, T + 1)).map((s) => s.value)).toEqual([12]);
        expect(await r.infusions('b1', 0, T + 1)).toEqual([
          {
            bedId: 'b1',
            channel: 'ch1',
            ts: T,
            drug: 'norepinephrine',
            rateMlH: 3,
            concentration: 40,
            concentrationUnit: 'mcg/mL',
            running: true,
          },
        ]);
        r.addMeasurement({ bedId: 'b2', feed: 'ecmo', ts: T, values: [{ signal: 'flow', value: 2.1 }] });
        const again = await factory.reopen(r);
        expect((await again.samples('b2', ['flow'], 0, T + 1)).map((s) => s.value)).toEqual([2.1]);
        await factory.dispose(again);
      }));

    it('keeps timeline events with their review, and a device candidate only once', () =>
      withRecorder(async (r) => {
        const manual = await r.addEvent(
          { bedId: 'b1', type: 'shock_recognized', ts: T, note: 'n', by: 'ann', source: 'manual', status: 'confirmed' },
          T,
        );
        expect(manual).toMatchObject({ bedId: 'b1', type: 'shock_recognized', ts: T, by: 'ann', status: 'confirmed' });
        const cand = {
          bedId: 'b1',
          type: 'ecmo_flow_start' as const,
          ts: T + 60_000,
          note: null,
          by: 'device',
          source: 'device' as const,
          status: 'candidate' as const,
        };
        const first = await r.addEvent(cand, T);
        expect(first).toMatchObject({ source: 'device', status: 'candidate', detectedTs: T + 60_000 });
        expect(await r.addEvent(cand, T + 5)).toBeNull();
        const reviewed = await r.reviewEvent(first!.id, { status: 'confirmed', ts: T + 50_000, by: 'rhea', atMs: T + 9 });
        expect(reviewed).toMatchObject({
          status: 'confirmed',
          ts: T + 50_000,
          detectedTs: T + 60_000,
          reviewedBy: 'rhea',
          reviewedAt: T + 9,
        });
        expect((await r.listEvents('b1')).map((e) => e.type)).toEqual(['shock_recognized', 'ecmo_flow_start']);
        expect(await r.getEvent(manual!.id)).toEqual(manual);
      }));

    it('keeps each alarm with its whole life: upserted by id, listed newest first by bed and state, open ones found again', () =>
      withRecorder(async (r) => {
        await r.saveAlarm(alarm(), 1000);
        await r.saveAlarm(alarm({ ackedBy: 'ann', ackedAt: 2000 }), 2000);
        await r.saveAlarm(alarm({ state: 'cleared', clearedAt: 3000, latched: true, ackedBy: null, ackedAt: null }), 3000);
        await r.saveAlarm(alarm({ id: 'b2:lowFlow:1500', bedId: 'b2', key: 'lowFlow', raisedAt: 1500 }), 1500);
        await r.saveAlarm(
          alarm({ id: 'b2:lactate:500', bedId: 'b2', key: 'lactate', raisedAt: 500, state: 'cleared', clearedAt: 900 }),
          900,
        );
        expect((await r.listAlarms({ limit: 10 })).map((a) => a.id)).toEqual([
          'b2:lowFlow:1500',
          'b1:drainagePressure:1000',
          'b2:lactate:500',
        ]);
        expect((await r.listAlarms({ bedId: 'b2', state: 'cleared', limit: 10 })).map((a) => a.id)).toEqual(['b2:lactate:500']);
        // A window lists the alarms whose life overlaps it: raised before its end, cleared (if ever) after its start.
        expect((await r.listAlarms({ fromMs: 950, toMs: 1400, limit: 10 })).map((a) => a.id)).toEqual(['b1:drainagePressure:1000']);
        expect((await r.listAlarms({ fromMs: 800, toMs: 1000, limit: 10 })).map((a) => a.id)).toEqual([
          'b1:drainagePressure:1000',
          'b2:lactate:500',
        ]);
        expect((await r.listAlarms({ fromMs: 3001, limit: 10 })).map((a) => a.id)).toEqual(['b2:lowFlow:1500']);
        expect((await r.listAlarms({ toMs: 499, limit: 10 })).map((a) => a.id)).toEqual([]);
        expect((await r.openAlarms()).map((a) => a.id).sort()).toEqual(['b1:drainagePressure:1000', 'b2:lowFlow:1500']);
        expect(await r.getAlarm('b1:drainagePressure:1000')).toMatchObject({ state: 'cleared', latched: true, clearedAt: 3000 });
        expect((await r.alarmLog('b1:drainagePressure:1000')).map((l) => [l.at, l.state, l.ackedBy])).toEqual([
          [1000, 'active', null],
          [2000, 'active', 'ann'],
          [3000, 'cleared', null],
        ]);
        expect(await r.getAlarm('nope')).toBeUndefined();
      }));

    it('prunes each kind exactly before its cut-off, in batches, and never the study record or another kind', () =>
      withRecorder(async (r) => {
        // T is a whole minute: rows at T - 1 and before are old, rows at T and after are kept.
        const old = [T - 120_000, T - 1];
        const kept = [T, T + 1000];
        for (const bedId of ['b1', 'b2'])
          for (const ts of [...old, ...kept]) {
            r.addMeasurement({ bedId, feed: 'monitor', ts, values: [{ signal: 'hr', value: ts >= T ? 100 : 80 }] });
            r.addMeasurement({ bedId, feed: 'ecmo', ts, values: [{ signal: 'flow', value: 2 }] });
            r.addMeasurement({ bedId, feed: 'lab', ts, values: [{ signal: 'lab.arterial.lactate', value: 3 }] });
            r.addDerived({ bedId, ts, values: { vis: dv(10) } });
            r.addInfusion({
              bedId,
              channel: 'ch1',
              ts,
              drug: 'norepinephrine',
              rateMlH: 1,
              concentration: 40,
              concentrationUnit: 'mcg/mL',
              running: true,
            });
            for (const signal of ['abp', 'pleth']) r.addWaveform({ bedId, signal, ts, rateHz: 125, samples: [1, 2, 3] });
          }
        await r.addEvent(
          { bedId: 'b1', type: 'shock_recognized', ts: T - 86_400_000, note: null, by: 'ann', source: 'manual', status: 'confirmed' },
          T - 86_400_000,
        );
        await r.saveAlarm(alarm({ raisedAt: 1000, state: 'cleared', clearedAt: 2000 }), 2000);
        await r.audit({ at: 1, username: 'ann', action: 'patient.set', target: 'b1' });
        await r.savePatient('b1', { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA', studyId: 'S-1' }, 1);
        await r.putUser({ username: 'ann', role: 'researcher', passwordHash: 'h', createdAt: 1 });

        // Waveforms first, in batches: 2 beds x 2 signals x 2 old moments = 8 rows, none of them kept.
        expect(await r.prune('waveforms', T, 3)).toBe(3);
        expect(await r.prune('waveforms', T, 3)).toBe(3);
        expect(await r.prune('waveforms', T, 3)).toBe(2);
        expect(await r.prune('waveforms', T, 3)).toBe(0);
        expect(await r.prune('waveforms', T, 0)).toBe(0);
        // Other kinds untouched by a waveform prune.
        expect((await r.samples('b2', ['hr'], 0, T + 1000)).map((s) => s.ts)).toEqual([...old, ...kept]);

        // Samples: monitor, console and pump messages of both beds; lab, derived and aggregates stay.
        expect(await r.prune('samples', T, 1000)).toBe(2 * 3 * old.length);
        for (const bedId of ['b1', 'b2']) {
          expect((await r.samples(bedId, ['hr', 'flow'], 0, T + 1000)).map((s) => [s.signal, s.ts])).toEqual([
            ['hr', T],
            ['hr', T + 1000],
            ['flow', T],
            ['flow', T + 1000],
          ]);
          expect((await r.infusions(bedId, 0, T + 1000)).map((i) => i.ts)).toEqual(kept);
          expect((await r.samples(bedId, ['lab.arterial.lactate', 'vis'], 0, T + 1000)).map((s) => s.ts)).toEqual([
            ...old,
            ...kept,
            ...old,
            ...kept,
          ]);
        }
        // A trend over the pruned range still reads the per-minute aggregates.
        expect((await r.minuteAggregates('b1', ['hr'], 0, T / 60_000 + 1)).map((a) => [a.minute, a.n, a.sum / a.n])).toEqual([
          [T / 60_000 - 2, 1, 80],
          [T / 60_000 - 1, 1, 80],
          [T / 60_000, 2, 100],
        ]);

        expect(await r.prune('lab', T, 1000)).toBe(2 * old.length);
        expect((await r.samples('b1', ['lab.arterial.lactate'], 0, T + 1000)).map((s) => s.ts)).toEqual(kept);
        expect(await r.prune('derived', T, 1000)).toBe(2 * old.length);
        expect((await r.samples('b2', ['vis'], 0, T + 1000)).map((s) => s.ts)).toEqual(kept);

        // An aggregate goes only when its whole minute lies before the cut-off.
        expect(await r.prune('aggregates', T + 30_000, 1000)).toBe(2 * 4 * old.length); // hr, flow, lactate, vis per bed
        expect((await r.minuteAggregates('b2', ['hr', 'vis'], 0, T / 60_000 + 1)).map((a) => [a.signal, a.minute])).toEqual([
          ['hr', T / 60_000],
          ['vis', T / 60_000],
        ]);

        // Everything of every kind up to far in the future: the study record stays whole.
        for (const kind of ['waveforms', 'samples', 'lab', 'derived', 'aggregates'] as const)
          await r.prune(kind, T + 86_400_000 * 3650, 100_000);
        expect(await r.samples('b1', ['hr', 'lab.arterial.lactate', 'vis'], 0, T + 1000)).toEqual([]);
        expect((await r.listEvents('b1')).map((e) => e.type)).toEqual(['shock_recognized']);
        expect((await r.listAlarms({ limit: 10 })).map((a) => a.id)).toEqual(['b1:drainagePressure:1000']);
        expect(await r.alarmLog('b1:drainagePressure:1000')).toHaveLength(1);
        expect((await r.listAudit(10)).map((a) => a.action)).toEqual(['patient.set']);
        expect((await r.loadPatients()).get('b1')).toMatchObject({ studyId: 'S-1' });
        expect(await r.getUser('ann')).toMatchObject({ role: 'researcher' });
        expect(await r.listBeds()).toContain('b1');
      }));

    it('keeps beds, patients with their history, limits, users, the audit log and meta values across a reopening', async () => {
      const r = await factory.open();
      await r.ensureBed('b1', T);
      await r.ensureBed('b1', T + 1);
      await r.savePatient('b1', { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA', studyId: 'S-1' }, T);
      await r.saveLimits('b1', { drainageHighMmHg: -120 }, 'ann', T);
      await r.putUser({ username: 'ann', role: 'specialist', passwordHash: 'h', createdAt: T });
      await r.putUser({ username: 'bob', role: 'viewer', passwordHash: 'h2', createdAt: T, tokenVersion: 2, disabled: true });
      await r.putUser({ username: 'gone', role: 'viewer', passwordHash: 'h3', createdAt: T });
      expect(await r.deleteUser('gone')).toBe(true);
      expect(await r.deleteUser('gone')).toBe(false);
      await r.revokeToken('old', T - 1);
      await r.revokeToken('live', T + 60_000);
      await r.audit({ at: T, username: 'ann', action: 'limits.set', target: 'b1', detail: { drainageHighMmHg: -120 } });
      await r.audit({ at: T + 1, username: 'ann', action: 'alarm.ack', target: 'x' });
      await r.setMeta('k', 'v');
      expect(await r.claimMeta('k', 'other')).toBe('v');
      expect(await r.claimMeta('claimed', 'first')).toBe('first');
      expect(await r.claimMeta('claimed', 'second')).toBe('first');
      const again = await factory.reopen(r);
      try {
        expect(await again.listBeds()).toEqual(['b1']);
        expect((await again.loadPatients()).get('b1')).toMatchObject({ weightKg: 20, studyId: 'S-1' });
        expect((await again.loadLimits()).get('b1')).toEqual({ drainageHighMmHg: -120 });
        expect(await again.getUser('ann')).toMatchObject({ role: 'specialist', passwordHash: 'h' });
        expect(await again.countUsers()).toBe(2);
        expect((await again.listUsers()).map((u) => [u.username, u.tokenVersion, u.disabled])).toEqual([
          ['ann', 0, false],
          ['bob', 2, true],
        ]);
        expect(await again.revokedTokens(T)).toEqual(['live']);
        expect((await again.listAudit(10)).map((a) => a.action)).toEqual(['alarm.ack', 'limits.set']);
        expect((await again.listAudit(10))[1].detail).toEqual({ drainageHighMmHg: -120 });
        expect(await again.getMeta('k')).toBe('v');
        expect(await again.getMeta('missing')).toBeUndefined();
      } finally {
        await factory.dispose(again);
      }
    });
  });
}
