// Pseudonymous research exports (docs/interface.md): rows carry the study centre and the patient's
// studyId, never the bed, a name, a user or a free-text note (notes may name people). Written as a
// stream (csv-stringify), row by row, so a large export never sits in memory.
import type { ServerResponse } from 'node:http';
import { stringify } from 'csv-stringify';
import type { TimelineEvent } from '../../shared/protocol.js';
import type { Patient } from '../../shared/schemas.js';
import { EVENT_MARKERS, t0Of } from '../../shared/timeline.js';

export interface StudyBed {
  patient: Patient & { studyId: string };
  events: readonly TimelineEvent[];
}

const MS_PER_MIN = 60_000;

/** Column names of timeline.csv: the event, then each marker's value and its age at that moment. */
export function timelineColumns(relativeOnly: boolean): string[] {
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
