// FHIR R4 export of one study bed: a `collection` Bundle of Observations, one per key and step (the
// mean of the recorded samples in that period, `effectivePeriod`), coded with LOINC where the
// catalogue has a code and with this project's own code system otherwise (no standard code is
// invented), UCUM units from the catalogue. The subject is the pseudonymous studyId only. Streamed
// entry by entry, an hour of recording at a time.
import type { ServerResponse } from 'node:http';
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { DERIVED, paramOfSignal, type DerivedDef, type ParamDef } from '../../shared/catalogue.js';
import { bucketHistory } from './history.js';

/** This project's code system for parameters without a standard code (ECMO circuit, derived values). */
const LOCAL_CODE_SYSTEM = 'urn:ecmo-monitor:parameter';
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const CHUNK_MS = 3600_000;

type Read = (
  keys: readonly string[],
  fromMs: number,
  toMs: number,
) => Promise<{ bedId: string; signal: string; ts: number; value: number | null; source: string }[]>;

interface KeyCode {
  code: Observation['code'];
  ucum: string;
  unit: string;
  vital: boolean;
}

function codeOf(key: string): KeyCode {
  const derived = (DERIVED as Record<string, DerivedDef>)[key];
  const param: ParamDef | undefined = derived ? undefined : paramOfSignal(key);
  const def = derived ?? param!;
  const coding = [
    ...(param?.loinc ? [{ system: LOINC, code: param.loinc, display: param.label }] : []),
    { system: LOCAL_CODE_SYSTEM, code: key, display: def.label },
  ];
  const site = key.startsWith('lab.') ? ` (${key.split('.')[1]})` : '';
  return {
    code: { coding, text: `${def.label}${site}` },
    ucum: def.ucum,
    unit: def.unit,
    vital: !!param && param.feeds.includes('monitor'),
  };
}

/** Streams the Bundle; returns the number of Observations written. */
export async function writeFhirBundle(
  res: ServerResponse,
  o: { siteId: string; studyId: string; keys: readonly string[]; fromMs: number; toMs: number; stepS: number; nowMs: number },
  read: Read,
): Promise<number> {
  res.writeHead(200, { 'content-type': 'application/fhir+json; charset=utf-8' });
  const head: Bundle = { resourceType: 'Bundle', type: 'collection', timestamp: new Date(o.nowMs).toISOString() };
  const opening = JSON.stringify(head).slice(0, -1);
  await write(res, `${opening},"entry":[`);
  const codes = new Map(o.keys.map((k) => [k, codeOf(k)]));
  const subject = { identifier: { system: `urn:ecmo-monitor:study:${o.siteId}`, value: o.studyId }, display: `study patient ${o.studyId}` };
  const stepMs = o.stepS * 1000;
  let n = 0;
  for (let from = o.fromMs; from <= o.toMs; from += CHUNK_MS) {
    const to = Math.min(o.toMs, from + CHUNK_MS - 1);
    const h = bucketHistory([...o.keys], await read(o.keys, from, to), from, to, stepMs);
    for (const key of o.keys) {
      const c = codes.get(key)!;
      const series = h.series[key];
      for (let i = 0; i < h.t.length; i++) {
        const value = series[i];
        if (value === null) continue;
        const obs: Observation = {
          resourceType: 'Observation',
          status: 'final',
          ...(c.vital ? { category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'vital-signs' }] }] } : {}),
          code: c.code,
          subject,
          effectivePeriod: { start: new Date(h.t[i]).toISOString(), end: new Date(Math.min(h.t[i] + stepMs, to + 1)).toISOString() },
          valueQuantity: { value: Math.round(value * 1e4) / 1e4, unit: c.unit, system: UCUM, code: c.ucum },
          note: o.stepS > 1 ? [{ text: `mean of the recorded values over ${o.stepS} s` }] : undefined,
        };
        await write(res, `${n ? ',' : ''}${JSON.stringify({ resource: obs })}`);
        n++;
      }
    }
  }
  await write(res, ']}');
  res.end();
  return n;
}

/** Writes with the socket's back-pressure: waits for 'drain' when its buffer is full. */
function write(res: ServerResponse, chunk: string): Promise<void> {
  return res.write(chunk) ? Promise.resolve() : new Promise((r) => res.once('drain', () => r()));
}
