// Patient configuration of a bed: stored in the recording (with its history), applied to the live
// state, derived values recomputed and watchers told. Used by PUT /api/beds/{bed}/patient and by
// the demo's simulated beds.
import type { Patient } from '../shared/schemas.js';
import type { CalcEngine } from './calc/engine.js';
import type { StreamSink } from './pipeline.js';
import type { Recorder } from './record/recorder.js';
import type { Beds } from './state/beds.js';

export interface PatientDeps {
  recorder: Recorder;
  beds: Beds;
  calc: CalcEngine;
  stream: StreamSink;
  now: () => number;
}

export function configurePatient(d: PatientDeps, bedId: string, patient: Patient): Patient {
  d.recorder.savePatient(bedId, patient, d.now());
  const bed = d.beds.getOrCreate(bedId);
  bed.patient = patient;
  d.calc.invalidate(bed);
  d.stream.bedChanged(bedId, { derived: true, patient: true });
  d.stream.overviewChanged();
  return patient;
}
