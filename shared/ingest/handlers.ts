// One handler per message kind, chosen by a table keyed on the topic's device/stream (as MQTT.js
// dispatches packets). Each turns a parsed JSON object into a typed result, or a reason.
import type { z } from 'zod';
import { PARAMS, PUMP_LIMITS, labSignal, type LabKey, type ParamDef } from '../catalogue.js';
import {
  ecmoNumericsSchema,
  labResultSchema,
  monitorNumericsSchema,
  pumpSchema,
  statusSchema,
  waveformSchema,
  type PumpMessage,
  type Waveform,
} from '../schemas.js';
import type { MessageKind, TopicInfo } from '../topics.js';
import type { RejectReason } from './reasons.js';

interface SampleValue {
  signal: string;
  value: number | null;
}

export type Parsed =
  | {
      kind: 'numerics';
      ts: number;
      seq?: number;
      source: 'monitor' | 'ecmo' | 'lab';
      site?: string;
      values: SampleValue[];
      ignoredKeys: number;
    }
  | { kind: 'pump'; ts: number; seq?: number; message: PumpMessage }
  | { kind: 'waveform'; ts: number; seq?: number; waveform: Waveform }
  | { kind: 'status'; ts: number | undefined; state: 'online' | 'offline' };

type HandlerResult = Parsed | { reject: RejectReason; detail: string };

type Handler = (body: unknown, topic: TopicInfo) => HandlerResult;

function schemaFail(error: z.ZodError): HandlerResult {
  const first = error.issues[0];
  return { reject: 'schema', detail: `${first.path.join('.') || '(payload)'}: ${first.message}` };
}

function inRange(def: ParamDef, v: number): boolean {
  return v >= def.min && v <= def.max;
}

function countExtraKeys(raw: unknown, known: object): number {
  if (!raw || typeof raw !== 'object') return 0;
  let n = 0;
  for (const k of Object.keys(raw)) if (!(k in known)) n++;
  return n;
}

/**
 * The common case of a device's numerics, judged without zod: a numeric ts, an optional seq, and
 * values that are all catalogue keys with a finite number (in range) or null. It answers exactly
 * what the schema path would (values in the catalogue's key order, nothing ignored), else
 * undefined, and the schema path judges the message (an ISO ts, an unknown key, a value out of
 * range or of the wrong type: it alone words the reason). A flood spends about a tenth of its
 * ingest in zod otherwise, building a copy of every message.
 */
function plainNumerics(body: unknown, keys: readonly string[], source: 'monitor' | 'ecmo'): Parsed | undefined {
  const b = body as { ts?: unknown; seq?: unknown; values?: unknown };
  const { ts, seq, values } = b;
  if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 0) return undefined;
  if (seq !== undefined && (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0)) return undefined;
  if (values === null || typeof values !== 'object' || Array.isArray(values)) return undefined;
  const raw = values as Record<string, unknown>;
  let seen = 0;
  const out: SampleValue[] = [];
  for (const key of keys) {
    if (!Object.hasOwn(raw, key)) continue;
    seen++;
    const value = raw[key];
    if (value === null) {
      out.push({ signal: key, value: null });
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || !inRange(PARAMS[key as keyof typeof PARAMS], value)) return undefined;
    out.push({ signal: key, value });
  }
  // A key the catalogue does not know is stripped and counted by the schema path.
  let keysIn = 0;
  for (const k in raw) if (Object.hasOwn(raw, k)) keysIn++;
  if (keysIn !== seen) return undefined;
  return { kind: 'numerics', ts, seq, source, values: out, ignoredKeys: 0 };
}

/** Numerics of a device whose keys are catalogue keys: range-checked, null kept (sensor off). */
function numerics(schema: typeof monitorNumericsSchema | typeof ecmoNumericsSchema, source: 'monitor' | 'ecmo'): Handler {
  const keys = Object.keys(schema.shape.values.shape);
  return (body) => {
    const plain = plainNumerics(body, keys, source);
    if (plain) return plain;
    const r = schema.safeParse(body);
    if (!r.success) return schemaFail(r.error);
    const values: SampleValue[] = [];
    for (const [key, value] of Object.entries(r.data.values)) {
      if (value === undefined) continue;
      const def = PARAMS[key as keyof typeof PARAMS];
      if (value !== null && !inRange(def, value)) {
        return { reject: 'out_of_range', detail: `${key} ${value} ${def.unit} outside ${def.min}..${def.max}` };
      }
      values.push({ signal: key, value });
    }
    const rawValues = (body as { values?: unknown }).values;
    return { kind: 'numerics', ts: r.data.ts, seq: r.data.seq, source, values, ignoredKeys: countExtraKeys(rawValues, r.data.values) };
  };
}

const labResult: Handler = (body) => {
  const r = labResultSchema.safeParse(body);
  if (!r.success) return schemaFail(r.error);
  const values: SampleValue[] = [];
  for (const [key, value] of Object.entries(r.data.values)) {
    if (value === undefined) continue;
    const def = PARAMS[key as LabKey];
    if (value !== null && !inRange(def, value)) {
      return { reject: 'out_of_range', detail: `${key} ${value} ${def.unit} outside ${def.min}..${def.max}` };
    }
    values.push({ signal: labSignal(r.data.site, key as LabKey), value });
  }
  const rawValues = (body as { values?: unknown }).values;
  return {
    kind: 'numerics',
    ts: r.data.ts,
    seq: r.data.seq,
    source: 'lab',
    site: r.data.site,
    values,
    ignoredKeys: countExtraKeys(rawValues, r.data.values),
  };
};

const pump: Handler = (body) => {
  const r = pumpSchema.safeParse(body);
  if (!r.success) return schemaFail(r.error);
  const m = r.data;
  const { rateMlH, concentration } = PUMP_LIMITS;
  if (m.rateMlH < rateMlH.min || m.rateMlH > rateMlH.max) {
    return { reject: 'out_of_range', detail: `rateMlH ${m.rateMlH} outside ${rateMlH.min}..${rateMlH.max}` };
  }
  if (m.concentration <= concentration.min || m.concentration > concentration.max) {
    return { reject: 'out_of_range', detail: `concentration ${m.concentration} outside (${concentration.min}, ${concentration.max}]` };
  }
  return { kind: 'pump', ts: m.ts, seq: m.seq, message: { ...m, drug: m.drug.trim().toLowerCase() } };
};

const waveform: Handler = (body) => {
  const r = waveformSchema.safeParse(body);
  if (!r.success) return schemaFail(r.error);
  return { kind: 'waveform', ts: r.data.ts, seq: r.data.seq, waveform: r.data };
};

const status: Handler = (body) => {
  const r = statusSchema.safeParse(body);
  if (!r.success) return schemaFail(r.error);
  return { kind: 'status', ts: r.data.ts, state: r.data.state };
};

export const HANDLERS: Record<MessageKind, Handler> = {
  'monitor.numerics': numerics(monitorNumericsSchema, 'monitor'),
  'ecmo.numerics': numerics(ecmoNumericsSchema, 'ecmo'),
  'monitor.waveform': waveform,
  'lab.result': labResult,
  pump,
  status,
};
