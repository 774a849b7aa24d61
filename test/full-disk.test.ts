// A recording whose disk fills up, on a real small file system (a 4 MB tmpfs mounted for the test):
// live monitoring goes on from memory, health says the recording fails and why, a ward-wide
// technical alarm is raised, and once space returns everything that arrived meanwhile is written,
// the alarm clears, and the health is green again. Needs root (mount); skipped, and says so, without.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm, BedDetail, HealthAnswer } from '../shared/protocol.js';
import { startTestServer, until, type TestServer } from './helpers/server.js';

const MOUNT = mkdtempSync(join(tmpdir(), 'ecmo-fulldisk-'));
const FILLER = join(MOUNT, 'filler');

function tryMount(): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', MOUNT], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('full-disk test skipped: cannot mount a tmpfs here (needs root)');
    return false;
  }
}
const mounted = tryMount();

/** Fills the file system to the last block. */
function fill(): void {
  const chunk = Buffer.alloc(64 * 1024, 1);
  const parts: Buffer[] = [];
  for (let i = 0; i < 64; i++) parts.push(chunk);
  try {
    // Whatever fits; ENOSPC ends it.
    writeFileSync(FILLER, Buffer.concat(parts));
  } catch {
    /* full */
  }
  for (let size = 32 * 1024; size >= 512; size /= 2) {
    try {
      for (;;) writeFileSync(FILLER, Buffer.alloc(size, 1), { flag: 'a' });
    } catch {
      /* this size no longer fits: try a smaller one */
    }
  }
}

let t: TestServer;
beforeAll(async () => {
  if (!mounted) return;
  t = await startTestServer({}, { dataDir: MOUNT });
});
afterAll(async () => {
  await t?.stop();
  if (mounted) execFileSync('umount', [MOUNT]);
  rmSync(MOUNT, { recursive: true, force: true });
});

describe.skipIf(!mounted)('a full disk under DATA_DIR', () => {
  it('keeps live monitoring from memory, says so in health and as a ward alarm, and writes everything once space returns', async () => {
    const dev = await t.device();
    const base = Date.now() - 120_000;
    let sent = 0;
    const publish = async (bed: string, i: number) => {
      await dev.publishAsync(
        `icu/${bed}/monitor/numerics`,
        JSON.stringify({ ts: base + i * 1000, values: { hr: 100 + (i % 50), map: 60 } }),
      );
      sent++;
    };
    for (let i = 0; i < 10; i++) await publish('fd1', i);
    await until(async () => (await t.api<BedDetail>('/api/beds/fd1')).body.latest?.hr?.value === 109, 'first values');

    fill();
    // Messages while the disk is full, including a bed first seen now.
    for (let i = 10; i < 60; i++) await publish('fd1', i);
    for (let i = 0; i < 20; i++) await publish('fd2', i);
    const health = await until(
      async () => {
        const h = await t.api<HealthAnswer>('/api/health');
        return h.body.recording.failing ? h : null;
      },
      'recording failing in health',
      10_000,
    );
    expect(health.status).toBe(503);
    expect(health.body.status).not.toBe('ok');
    expect(health.body.reasons.join(' ')).toMatch(/recording/i);
    expect(health.body.recording.lastError).toMatch(/full|space/i);
    expect((await t.api<string>('/metrics')).body).toMatch(/^ecmo_record_failing 1$/m);
    // Live monitoring goes on from memory, for the old bed and the new one.
    await until(async () => (await t.api<BedDetail>('/api/beds/fd1')).body.latest?.hr?.value === 100 + (59 % 50), 'live values of fd1');
    await until(async () => (await t.api<BedDetail>('/api/beds/fd2')).body.latest?.hr?.value === 119, 'live values of fd2');
    const alarm = await until(
      async () => (await t.api<Alarm[]>('/api/alarms?bed=*')).body.find((a) => a.key === 'recordingFailing' && a.state === 'active'),
      'ward alarm raised',
      10_000,
    );
    expect(alarm).toMatchObject({ bedId: '*', kind: 'technical', priority: 'medium' });

    rmSync(FILLER); // space returns
    await until(async () => !(await t.api<HealthAnswer>('/api/health')).body.recording.failing, 'recording resumes', 15_000);
    expect((await t.api<HealthAnswer>('/api/health')).status).toBe(200);
    expect((await t.api<string>('/metrics')).body).toMatch(/^ecmo_record_failing 0$/m);
    // Everything that arrived meanwhile is in the recording, with the bed first seen then.
    const count = async (bed: string, n: number) => {
      const h = await t.api<{ series: { hr: (number | null)[] } }>(
        `/api/beds/${bed}/history?keys=hr&from=${base}&to=${base + n * 1000 - 1}&stepS=1`,
      );
      return h.body.series.hr.filter((v) => v !== null).length;
    };
    expect(await count('fd1', 60)).toBe(60);
    expect(await count('fd2', 20)).toBe(20);
    expect(sent).toBe(80);
    const cleared = await until(
      async () => (await t.api<Alarm[]>('/api/alarms?bed=*')).body.find((a) => a.id === alarm.id && a.state === 'cleared'),
      'ward alarm cleared',
      10_000,
    );
    expect(cleared.latched).toBe(true);
    // A restart finds both beds in the recording.
    await t.restart();
    expect((await t.api('/api/beds/fd2')).status).toBe(200);
  });
});

describe.skipIf(!mounted)('a read-only DATA_DIR at start', () => {
  it('refuses to start, saying the recording cannot be written and why, with exit code 1', async () => {
    const ro = mkdtempSync(join(tmpdir(), 'ecmo-readonly-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', ro]);
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: resolve(import.meta.dirname, '..'),
        env: {
          ...process.env,
          HOST: '127.0.0.1',
          PORT: '0',
          MQTT_PORT: '0',
          DATA_DIR: ro,
          SIM_BEDS: '0',
          ADMIN_PASSWORD: 'readonly-admin-pw',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((done) => child.once('exit', done));
      expect(code).toBe(1);
      expect(stderr).toMatch(/could not start: .*cannot be opened for writing: a read-only file system/);
    } finally {
      execFileSync('umount', [ro]);
      rmSync(ro, { recursive: true, force: true });
    }
  });
});
