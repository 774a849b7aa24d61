// The study record on the dashboard in a real Chromium (docs/clinical.md section 5): a study event
// entered in one click with who entered it; intervals that follow events entered elsewhere, live; a
// flow start detected in late console data, marked until a researcher confirms or moves it; the
// oxygen-debt burden with its unknown minutes; no entry, review or export for a viewer; and
// pseudonymous exports downloaded through fetch with the token.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../shared/protocol.js';
import { ADMIN_PASSWORD, startTestServer, until, type TestServer } from './helpers/server.js';
import { launchChromium, logIn } from './helpers/browser.js';

/** Where the screenshots go (SHOTS_DIR to look at them elsewhere). */
const SHOTS = process.env.SHOTS_DIR ?? 'test-results';
const MIN = 60_000;
/** Browser waits: the dashboard answers within a second or two; a loaded machine gets more. */
const UI_MS = 10_000;

/** Two study patients and one bed without a study identity; no bed id is part of a study id. */
const BED_A = 'sb-alpha';
const BED_B = 'sb-beta';
const BED_PLAIN = 'sb-gamma';
const STUDY_A = 'P-0417';
const STUDY_B = 'P-0418';
const VA_PATIENT = { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' };
const VIEWER = { username: 'vera', password: 'viewer-pw-123', role: 'viewer' };

let t: TestServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function openBed(p: Page, bedId: string): Promise<void> {
  await p.goto(`${t.url}/#/bed/${bedId}`);
  await p.locator('[data-study]').waitFor({ timeout: UI_MS });
}

const events = async (bed: string) => (await t.api<TimelineEvent[]>(`/api/beds/${bed}/events`)).body;
const postEvent = (bed: string, type: string, ts: number) =>
  t.api<TimelineEvent>(`/api/beds/${bed}/events`, { method: 'POST', body: JSON.stringify({ type, ts }) });
const row = (p: Page, type: string) => p.locator(`[data-event-type=${type}]`);
const intervalText = (p: Page, key: string) => p.locator(`[data-interval=${key}] .minutes`).innerText();
const text = (p: Page, selector: string) => p.locator(selector).innerText();

/** The same local wall-clock text a datetime-local input holds (browser and test share the machine's zone). */
function datetimeLocal(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
}

/** Clicks `selector` and resolves with the file the page saved. */
async function downloadBy(p: Page, selector: string): Promise<{ download: Download; content: string }> {
  const [download] = await Promise.all([p.waitForEvent('download', { timeout: UI_MS }), p.click(selector)]);
  const path = await download.path();
  return { download, content: readFileSync(path, 'utf8') };
}

beforeAll(async () => {
  t = await startTestServer();
  for (const [bed, studyId] of [
    [BED_A, STUDY_A],
    [BED_B, STUDY_B],
  ]) {
    const put = await t.api(`/api/beds/${bed}/patient`, {
      method: 'PUT',
      body: JSON.stringify({ ...VA_PATIENT, studyId, studyGroup: 'RSS-ECMO' }),
    });
    expect(put.status).toBe(200);
  }
  expect((await t.api(`/api/beds/${BED_PLAIN}/patient`, { method: 'PUT', body: JSON.stringify(VA_PATIENT) })).status).toBe(200);
  expect((await t.api('/api/users', { method: 'POST', body: JSON.stringify(VIEWER) })).status).toBe(201);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await logIn(page, t.url, 'admin', ADMIN_PASSWORD, UI_MS);
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('the study record on the bed page', () => {
  it('enters “Shock recognised now” with a note in one click and lists it with who entered it', async () => {
    await openBed(page, BED_A);
    await expect.poll(() => text(page, '[data-timeline-empty]'), { timeout: UI_MS }).toBe('No events yet.');
    await page.fill('input[name=event-note]', 'recognised by the ED team');
    await page.getByRole('button', { name: 'Shock recognised now' }).click();

    const shock = row(page, 'shock_recognized');
    await expect.poll(() => shock.count(), { timeout: UI_MS }).toBe(1);
    const shown = await shock.innerText();
    expect(shown).toContain('Shock recognised (T0)');
    expect(shown).toContain('by admin');
    expect(shown).toContain('entered by hand');
    expect(shown).toContain('recognised by the ED team');
    expect(shown).toMatch(/\d{2}:\d{2} \d{4}-\d{2}-\d{2}/);
    expect(await shock.getAttribute('data-status')).toBe('confirmed');
    // No monitor data on this bed: each marker reads as a dash, never as a number.
    expect(await shock.locator('[data-marker=map]').innerText()).toBe('—');
    expect(await page.inputValue('input[name=event-note]')).toBe('');
    // The interval it opens waits for its end, named in words.
    await expect.poll(() => intervalText(page, 'shockToRefractory'), { timeout: UI_MS }).toContain('missing: Refractory shock');

    const [stored] = await events(BED_A);
    expect(stored).toMatchObject({ type: 'shock_recognized', by: 'admin', note: 'recognised by the ED team' });
    expect(await shock.getAttribute('data-event-id')).toBe(String(stored.id));
  });

  it('reads T0 → refractory shock as 95 min once refractory shock is entered over REST 95 min after T0, live', async () => {
    const [shock] = await events(BED_A);
    expect((await postEvent(BED_A, 'refractory_shock', shock.ts + 95 * MIN)).status).toBe(201);
    expect((await postEvent(BED_A, 'ecmo_decision', shock.ts + 140 * MIN)).status).toBe(201);

    await expect.poll(() => intervalText(page, 'shockToRefractory'), { timeout: UI_MS }).toBe('95 min');
    await expect.poll(() => intervalText(page, 'refractoryToDecision'), { timeout: UI_MS }).toBe('45 min');
    expect(await intervalText(page, 'ecmoDuration')).toBe('— missing: ECMO flow started, Decannulation');
    const order = await page.locator('[data-event-type]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.eventType));
    expect(order).toEqual(['shock_recognized', 'refractory_shock', 'ecmo_decision']);
    expect(await row(page, 'refractory_shock').innerText()).toContain('T0 + 95 min');
  });

  it('marks a flow start detected in late console data “detected — to confirm”; confirming it fills the time to ECMO', async () => {
    // Late data from the console (as after a network outage), one message a second of its own time:
    // 90 s at zero flow with SvO2 45 %, then 30 s at 2 L/min with SvO2 70 %.
    const start = Math.floor((Date.now() - 10 * MIN) / 1000) * 1000;
    const t0 = start - 170 * MIN;
    for (const [type, ts] of [
      ['shock_recognized', t0],
      ['refractory_shock', t0 + 60 * MIN],
      ['ecmo_decision', t0 + 120 * MIN],
      ['cannulation_start', t0 + 150 * MIN],
    ] as const) {
      expect((await postEvent(BED_B, type, ts)).status).toBe(201);
    }
    await openBed(page, BED_B);
    await expect.poll(() => row(page, 'cannulation_start').count(), { timeout: UI_MS }).toBe(1);

    const dev = await t.device();
    for (let s = 0; s < 120; s++) {
      const running = s >= 90;
      await dev.publishAsync(
        `icu/${BED_B}/ecmo/numerics`,
        JSON.stringify({ ts: start + s * 1000, values: { flow: running ? 2 : 0, rpm: running ? 3000 : 0, svo2: running ? 70 : 45 } }),
        { qos: 1 },
      );
    }

    const flow = row(page, 'ecmo_flow_start');
    await expect.poll(() => flow.getAttribute('data-status'), { timeout: UI_MS }).toBe('candidate');
    const shown = await flow.innerText();
    expect(shown).toContain('detected — to confirm');
    expect(shown).toContain('by device');
    expect(shown).toContain('detected in device data');
    // The flow at that moment, under the column's unit (L/min), with its age.
    expect(await flow.locator('[data-marker=flow]').innerText()).toMatch(/^2\.00\s+age 0 s$/);
    expect(await flow.locator('[data-marker=flow]').getAttribute('title')).toBe('Flow 2.00 L/min, age 0 s at the event (ok)');
    expect(await row(page, 'target_flow_reached').getAttribute('data-status')).toBe('candidate');
    // A candidate is not an interval bound until somebody confirms it.
    expect(await intervalText(page, 'timeToEcmo')).toBe('— missing: ECMO flow started');

    // The recording has the late SvO2 (90 s below 50 %) before the burden is read again.
    await until(
      async () => {
        const b = await t.api<{ sinceT0: { svo2Below50: { minutes: number } } }>(`/api/beds/${BED_B}/burden`);
        return b.body.sinceT0.svo2Below50.minutes === 1.5;
      },
      'the late SvO2 in the recording',
      15_000,
    );

    await flow.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect.poll(() => flow.getAttribute('data-status'), { timeout: UI_MS }).toBe('confirmed');
    await expect.poll(() => intervalText(page, 'timeToEcmo'), { timeout: UI_MS }).toBe('171.5 min');
    expect(await intervalText(page, 'cannulationToFlow')).toBe('21.5 min');
    expect(await flow.innerText()).toContain('confirmed by admin');
    expect(await flow.innerText()).not.toContain('detected — to confirm');

    // The burden since T0: 1.5 min below 50 % at 5 % below (7.5 %·min); the rest of the 3 h unknown.
    const svo2 = page.locator('[data-burden=svo2Below50]');
    await expect
      .poll(() => svo2.innerText(), { timeout: UI_MS })
      .toMatch(/SvO2 < 50 %\s+1\.5 min\s+area 7\.5 %·min\s+unknown: \d+(\.\d)? min/);
    const unknown = Number(/unknown: ([\d.]+) min/.exec(await svo2.innerText())![1]);
    expect(unknown).toBeGreaterThan(170);
    expect(await page.locator('[data-burden=lactateAtLeast4]').innerText()).toMatch(/0 min\s+unknown: \d/);
    expect(await page.locator('[data-burden=phoenixCv]').innerText()).toMatch(/^Phoenix CV score\s.*\sunknown: 1\d\d(\.\d)? min$/);

    mkdirSync(SHOTS, { recursive: true });
    await page.locator('[data-study]').screenshot({ path: join(SHOTS, 'study.png') });
  }, 60_000);

  it('shows a viewer the study record but no button to enter, review or export', async () => {
    const viewer = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await logIn(viewer, t.url, VIEWER.username, VIEWER.password, UI_MS);
      await viewer.locator('[data-bed]').first().waitFor({ timeout: UI_MS });
      expect(await viewer.locator('[data-export]').count()).toBe(0);

      await openBed(viewer, BED_B);
      const target = row(viewer, 'target_flow_reached');
      await expect.poll(() => target.getAttribute('data-status'), { timeout: UI_MS }).toBe('candidate');
      expect(await target.innerText()).toContain('detected — to confirm');
      await expect.poll(() => intervalText(viewer, 'timeToEcmo'), { timeout: UI_MS }).toBe('171.5 min');
      expect(await viewer.locator('[data-event-entry]').count()).toBe(0);
      expect(await viewer.getByRole('button', { name: /now$/ }).count()).toBe(0);
      for (const name of ['Confirm', 'Dismiss', 'Move…']) expect(await viewer.getByRole('button', { name }).count()).toBe(0);
      expect(await viewer.locator('[data-export]').count()).toBe(0);
    } finally {
      await viewer.close();
    }
  });

  it('moves a detected candidate to another time, which confirms it there', async () => {
    const target = row(page, 'target_flow_reached');
    const [detected] = (await events(BED_B)).filter((e) => e.type === 'target_flow_reached');
    const movedTo = detected.ts + 5000;
    await target.getByRole('button', { name: 'Move…' }).click();
    await target.locator('input[name=moved-to]').fill(datetimeLocal(movedTo));
    await target.getByRole('button', { name: 'Confirm at this time' }).click();

    await expect.poll(() => target.getAttribute('data-status'), { timeout: UI_MS }).toBe('confirmed');
    expect(await target.innerText()).toMatch(/detected \d{2}:\d{2} \d{4}-\d{2}-\d{2}, moved/);
    const [moved] = (await events(BED_B)).filter((e) => e.type === 'target_flow_reached');
    expect(moved).toMatchObject({ status: 'confirmed', ts: movedTo, detectedTs: detected.ts, reviewedBy: 'admin' });
  });
});

describe('research exports', () => {
  it('says in words that a bed without a study patient has nothing to export', async () => {
    await openBed(page, BED_PLAIN);
    await page.click('[data-export=data] button');
    await expect.poll(() => text(page, '[data-export=data]'), { timeout: UI_MS }).toContain('this bed has no study patient');
    expect(await page.locator('[data-export=data]').getAttribute('data-state')).toBe('failed');
    mkdirSync(SHOTS, { recursive: true });
    await page.locator('[data-study]').screenshot({ path: join(SHOTS, 'study-no-patient.png') });
  });

  it('downloads a bed’s data.csv and FHIR bundle with the token, named and filled by study id only', async () => {
    await openBed(page, BED_B);
    const csv = await downloadBy(page, '[data-export=data] button');
    expect(csv.download.suggestedFilename()).toBe(`${STUDY_B}-data.csv`);
    expect(csv.content.split('\n')[0]).toMatch(/^siteId,studyId,ts,minutesFromT0,/);
    expect(csv.content).toContain(STUDY_B);
    expect(csv.content).not.toContain(BED_B);
    const dataRows = csv.content.trimEnd().split('\n').length - 1;
    expect(dataRows).toBeGreaterThanOrEqual(120);
    await expect.poll(() => text(page, '[data-export=data]'), { timeout: UI_MS }).toContain(`${dataRows} rows`);

    const fhir = await downloadBy(page, '[data-export=fhir] button');
    const bundle = JSON.parse(fhir.content) as { resourceType: string; entry: unknown[] };
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.entry.length).toBeGreaterThan(0);
    expect(fhir.content).not.toContain(BED_B);
    await expect.poll(() => text(page, '[data-export=fhir]'), { timeout: UI_MS }).toMatch(/saved .+: [\d.]+ (B|kB|MB)/);
  });

  it('downloads timeline.csv from the overview: every study patient by study id, never a bed id', async () => {
    await page.goto(`${t.url}/#/`);
    const button = '[data-export=timeline] button';
    await page.locator(button).waitFor({ timeout: UI_MS });
    const { download, content } = await downloadBy(page, button);
    expect(download.suggestedFilename()).toBe('timeline.csv');
    const lines = content.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^siteId,studyId,studyGroup,type,ts,minutesFromT0,source,status,map,mapAgeS,/);
    expect(content).toContain(STUDY_A);
    expect(content).toContain(STUDY_B);
    for (const bed of [BED_A, BED_B, BED_PLAIN]) expect(content).not.toContain(bed);
    expect(content).not.toContain('recognised by the ED team');
    // 3 events of bed A, 6 of bed B (the candidates confirmed); the bed without a study id has none.
    expect(lines).toHaveLength(1 + 3 + 6);
    await expect.poll(() => text(page, '[data-export=timeline]'), { timeout: UI_MS }).toContain('saved timeline.csv');
    expect(await text(page, '[data-export=timeline]')).toContain('9 rows');
    await page.screenshot({ path: join(SHOTS, 'research-overview.png'), clip: { x: 0, y: 0, width: 1920, height: 200 } });

    await page.check('input[name=relative-times]');
    const relative = await downloadBy(page, button);
    expect(relative.content.split('\n')[0]).toMatch(/^siteId,studyId,studyGroup,type,minutesFromT0,/);
    expect(relative.content).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(pageErrors).toEqual([]);
  });
});
