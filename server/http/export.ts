// Pseudonymous research exports (docs/interface.md): rows carry the study centre and the patient's
// studyId, never the bed, a name, a user or a free-text note (notes may name people). Written as a
// stream (csv-stringify), row by row, so a large export never sits in memory.
import type { ServerResponse } from 'node:http';
import { stringify } from 'csv-stringify';
import type { TimelineEvent } from '../../shared/protocol.js';
import type { Patient } from '../../shared/schemas.js';
import type { BurdenAnswer } from '../../shared/burden.js';
import { EVENT_MARKERS, t0Of } from '../../shared/timeline.js';

export interface StudyBed {
  patient: Patient & { studyId: string };
  events: readonly TimelineEvent[];
}

const MS_PER_MIN = 60_000;

/** Column names of timeline.csv: the event, then each marker's value and its age at that moment. */
function timelineColumns(relativeOnly: boolean): string[] {
  return [
    'siteId',
    'studyId',
    'studyGroup',
    'type',
    ...(relativeOnly ? [] : ['ts']),
    'minutesFromT0',
    'source',
    'status',
    ...EVENT_MARKERS.flatMap((m) => [m, `${m}AgeS`]),
  ];
}

/**
 * Streams timeline.csv: one row per event that is not dismissed, for every study patient.
 * `relativeOnly`: times only as minutes since T0 (no calendar dates leave the site).
 */
export async function writeTimelineCsv(
  res: ServerResponse,
  siteId: string,
  beds: Iterable<StudyBed>,
  relativeOnly: boolean,
): Promise<number> {
  res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="timeline.csv"' });
  const csv = stringify({ header: true, columns: timelineColumns(relativeOnly) });
  csv.pipe(res);
  let rows = 0;
  for (const { patient, events } of beds) {
    const t0 = t0Of(events);
    for (const e of events) {
      if (e.status === 'dismissed') continue;
      const row: (string | number | null)[] = [siteId, patient.studyId, patient.studyGroup ?? '', e.type];
      if (!relativeOnly) row.push(new Date(e.ts).toISOString());
      row.push(t0 === null ? '' : round((e.ts - t0) / MS_PER_MIN, 2), e.source, e.status);
      for (const m of EVENT_MARKERS) {
        const v = e.markers?.[m];
        row.push(v ? v.value : '', v && v.ageS !== null ? v.ageS : '');
      }
      // Respect the socket's back-pressure: wait when the buffer is full.
      if (!csv.write(row)) await new Promise((r) => csv.once('drain', r));
      rows++;
    }
  }
  csv.end();
  await new Promise<void>((resolve, reject) => {
    res.once('finish', resolve);
    res.once('error', reject);
  });
  return rows;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A bed's recording is read and written an hour at a time: memory stays bounded whatever the range. */
const DATA_CHUNK_MS = 3600_000;

type SampleSource = (
  keys: readonly string[],
  fromMs: number,
  toMs: number,
) => Promise<{ signal: string; ts: number; value: number | null }[]>;

/**
 * Streams data.csv of one study bed: one row per time at which any of `keys` has a value, columns
 * `siteId, studyId, ts` (or only minutes since T0), `minutesFromT0`, then the keys. Empty cell: no
 * value recorded at that time.
 */
export async function writeDataCsv(
  res: ServerResponse,
  o: { siteId: string; studyId: string; t0: number | null; keys: readonly string[]; fromMs: number; toMs: number; relativeOnly: boolean },
  read: SampleSource,
): Promise<number> {
  res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${o.studyId}-data.csv"` });
  const csv = stringify({
    header: true,
    columns: ['siteId', 'studyId', ...(o.relativeOnly ? [] : ['ts']), 'minutesFromT0', ...o.keys],
  });
  csv.pipe(res);
  let rows = 0;
  const index = new Map(o.keys.map((k, i) => [k, i]));
  for (let from = o.fromMs; from <= o.toMs; from += DATA_CHUNK_MS) {
    const to = Math.min(o.toMs, from + DATA_CHUNK_MS - 1);
    const byTs = new Map<number, (number | null | '')[]>();
    for (const s of await read(o.keys, from, to)) {
      let row = byTs.get(s.ts);
      if (!row) byTs.set(s.ts, (row = new Array<number | null | ''>(o.keys.length).fill('')));
      row[index.get(s.signal)!] = s.value;
    }
    for (const ts of [...byTs.keys()].sort((a, b) => a - b)) {
      const head: (string | number)[] = [o.siteId, o.studyId];
      if (!o.relativeOnly) head.push(new Date(ts).toISOString());
      head.push(o.t0 === null ? '' : round((ts - o.t0) / MS_PER_MIN, 3));
      if (!csv.write([...head, ...byTs.get(ts)!.map((v) => (v === null ? '' : v))])) await new Promise((r) => csv.once('drain', r));
      rows++;
    }
  }
  csv.end();
  await new Promise<void>((resolve, reject) => {
    res.once('finish', resolve);
    res.once('error', reject);
  });
  return rows;
}

/**
 * Streams burden.csv: for every study patient, one row since T0 and one per study interval with the
 * oxygen-debt burden (shared/burden.ts), minutes and areas with the unknown minutes beside them.
 */
export async function writeBurdenCsv<P extends Patient & { studyId: string }>(
  res: ServerResponse,
  siteId: string,
  patients: readonly [string, P][],
  burdenOf: (bedId: string, patient: P) => Promise<BurdenAnswer>,
): Promise<number> {
  res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="burden.csv"' });
  const csv = stringify({
    header: true,
    columns: [
      'siteId',
      'studyId',
      'studyGroup',
      'period',
      'minutes',
      'svo2Below50Min',
      'svo2Below50AreaPctMin',
      'svo2UnknownMin',
      'do2Vo2Below3Min',
      'do2Vo2UnknownMin',
      'lactateAtLeast4Min',
      'lactateUnknownMin',
      'phoenixCvMinutes',
      'phoenixUnknownMin',
    ],
  });
  csv.pipe(res);
  let rows = 0;
  for (const [bedId, patient] of patients) {
    const b = await burdenOf(bedId, patient);
    for (const [period, s] of [['sinceT0', b.sinceT0] as const, ...b.intervals.map((i) => [i.key, i] as const)]) {
      const row = [
        siteId,
        patient.studyId,
        patient.studyGroup ?? '',
        period,
        round((s.toTs - s.fromTs) / MS_PER_MIN, 2),
        round(s.svo2Below50.minutes, 2),
        round(s.svo2Below50.area, 2),
        round(s.svo2Below50.unknownMinutes, 2),
        round(s.do2Vo2Below3.minutes, 2),
        round(s.do2Vo2Below3.unknownMinutes, 2),
        round(s.lactateAtLeast4.minutes, 2),
        round(s.lactateAtLeast4.unknownMinutes, 2),
        Object.entries(s.phoenixCvMinutes.byValue)
          .map(([score, min]) => `${score}:${round(min, 2)}`)
          .join(' '),
        round(s.phoenixCvMinutes.unknownMinutes, 2),
      ];
      if (!csv.write(row)) await new Promise((r) => csv.once('drain', r));
      rows++;
    }
  }
  csv.end();
  await new Promise<void>((resolve, reject) => {
    res.once('finish', resolve);
    res.once('error', reject);
  });
  return rows;
}
