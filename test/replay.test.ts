// `npm run replay`: a case recorded by one server, published back over MQTT by the CLI (a real
// child process) into another server, gives the same recorded values and the same derived values.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BedDetail } from '../shared/protocol.js';
import { DEVICE_PASSWORD, startTestServer, until, type TestServer } from './helpers/server.js';

const ROOT = resolve(import.meta.dirname, '..');
const PATIENT = { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' };
const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

function runReplay(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'server/replay/cli.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('exit', (code) => done({ code, stderr }));
  });
}

describe('replay of a recorded case', () => {
  it('publishes the recorded messages into another server, which records the same values and computes the same derived values', async () => {
    const a = await startTestServer();
    servers.push(a);
    await a.api('/api/beds/case1/patient', { method: 'PUT', body: JSON.stringify(PATIENT) });
    const dev = await a.device();
    // A live case, 200 ms between console messages, so that every value is fresh when read: the
    // replayed case, also live, must then show the same numbers with the same quality.
    const t0 = Date.now();
    for (let i = 0; i < 15; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const ts = Date.now();
      await dev.publishAsync(
        'icu/case1/ecmo/numerics',
        JSON.stringify({
          ts,
          values: { flow: 1.8 + i / 100, rpm: 3000 + i, pPre: 200 + i, pPost: 170, svo2: 70 - i / 5, postOxySat: 99, hb: 10 },
        }),
      );
      await dev.publishAsync(
        'icu/case1/monitor/numerics',
        JSON.stringify({ ts: ts + 500, values: { hr: 130 + i, map: 55, sbp: 75, dbp: 45 } }),
      );
    }
    await dev.publishAsync(
      'icu/case1/lab/result',
      JSON.stringify({ ts: Date.now(), site: 'post-oxygenator', values: { po2: 300, so2: 100 } }),
    );
    await dev.publishAsync(
      'icu/case1/pump/ch1',
      JSON.stringify({ ts: Date.now(), drug: 'norepinephrine', rateMlH: 3, concentration: 40, concentrationUnit: 'mcg/mL', running: true }),
      { qos: 1 },
    );
    const original = await until(async () => {
      const d = (await a.api<BedDetail>('/api/beds/case1')).body;
      return d.latest?.hr?.value === 144 && d.infusions?.length ? d : null;
    }, 'case recorded');
    const dataDir = a.dataDir;
    await a.server.stop(); // the recording stays; the helper removes it at the end

    const b = await startTestServer();
    servers.push(b);
    await b.api('/api/beds/case1/patient', { method: 'PUT', body: JSON.stringify(PATIENT) });
    const r = await runReplay([
      '--from-data',
      dataDir,
      '--bed',
      'case1',
      '--from',
      String(t0 - 1000),
      '--speed',
      '2',
      '--url',
      b.mqttUrl,
      '--password',
      DEVICE_PASSWORD,
    ]);
    expect(r.stderr).toMatch(/replay: 32 messages of bed case1/);
    expect(r.stderr).toMatch(/done, 32 messages/);
    expect(r.code).toBe(0);

    const replayed = await until(async () => {
      const d = (await b.api<BedDetail>('/api/beds/case1')).body;
      return d.latest?.hr?.value === 144 && d.infusions?.length ? d : null;
    }, 'case replayed');
    for (const k of ['flow', 'rpm', 'pPre', 'svo2', 'hr', 'map', 'lab.post-oxygenator.po2']) {
      expect(replayed.latest[k]?.value, k).toBe(original.latest[k]?.value);
    }
    // Every console message arrived and was recorded: the mean of all 15 speeds.
    const hist = await b.api<{ t: number[]; series: Record<string, (number | null)[]> }>(
      `/api/beds/case1/history?keys=rpm&from=${replayed.latest.rpm.ts - 10_000}&to=${replayed.latest.rpm.ts}&stepS=20`,
    );
    expect(hist.body.series.rpm.filter((v) => v !== null)).toEqual([3007]); // mean of 3000 … 3014
    for (const k of ['dpOxy', 'rOxy', 'cao2Post', 'do2Ecmo', 'vis', 'flowPerKg']) {
      expect(replayed.derived[k]?.value, k).not.toBeNull();
      expect(replayed.derived[k]?.value, k).toBeCloseTo(original.derived[k].value!, 9);
      expect(replayed.derived[k]?.quality, k).toBe(original.derived[k].quality);
    }
  });

  it('refuses a directory without a recording, with exit code 2', async () => {
    const r = await runReplay(['--from-data', '/nonexistent', '--bed', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no recording/);
  });
});
