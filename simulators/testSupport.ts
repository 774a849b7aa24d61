// Helpers shared by the simulator tests: what a receiver would do with an output (topic parse,
// schema, catalogue range), and a run of the pure simulation collected into one list.
import type { z } from 'zod';
import { PARAMS, PUMP_LIMITS } from '../shared/catalogue.js';
import {
  MAX_PAYLOAD_BYTES,
  ecmoNumericsSchema,
  labResultSchema,
  monitorNumericsSchema,
  pumpSchema,
  statusSchema,
  waveformSchema,
} from '../shared/schemas.js';
import { parseTopic, type MessageKind } from '../shared/topics.js';
import { payloadText, topicOfOutput, type PublishOutput, type SimOutput } from './messages.js';
import { Simulation, type SimulationOptions } from './simulation.js';

const SCHEMAS: Record<MessageKind, z.ZodType> = {
  'monitor.numerics': monitorNumericsSchema,
  'monitor.waveform': waveformSchema,
  'ecmo.numerics': ecmoNumericsSchema,
  pump: pumpSchema,
  'lab.result': labResultSchema,
  status: statusSchema,
};

export type Verdict = 'ok' | 'unknown_topic' | 'oversized' | 'malformed_json' | 'schema' | 'out_of_range';

/** What ingest would say about one published message (docs/interface.md "Bad input"). */
export function judge(o: PublishOutput, prefix = 'icu'): { verdict: Verdict; detail?: string } {
  return judgeRaw(topicOfOutput(prefix, o), payloadText(o), prefix);
}

/** The same for a message as it arrives over MQTT. */
export function judgeRaw(topicName: string, text: string, prefix = 'icu'): { verdict: Verdict; detail?: string } {
  const topic = parseTopic(prefix, topicName);
  if (!topic) return { verdict: 'unknown_topic' };
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) return { verdict: 'oversized' };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { verdict: 'malformed_json' };
  }
  const parsed = SCHEMAS[topic.kind].safeParse(body);
  if (!parsed.success) return { verdict: 'schema', detail: parsed.error.issues[0]?.message };
  const values = (body as { values?: Record<string, number | null> }).values;
  for (const [key, value] of Object.entries(values ?? {})) {
    const def = PARAMS[key as keyof typeof PARAMS];
    if (value !== null && (value < def.min || value > def.max)) return { verdict: 'out_of_range', detail: `${key} ${value}` };
  }
  if (topic.kind === 'pump') {
    const p = body as { rateMlH: number };
    if (p.rateMlH < PUMP_LIMITS.rateMlH.min || p.rateMlH > PUMP_LIMITS.rateMlH.max)
      return { verdict: 'out_of_range', detail: `rate ${p.rateMlH}` };
  }
  return { verdict: 'ok' };
}

/** Runs the pure simulation for durationS simulated seconds and returns every output, finish included. */
export function runSimulation(o: SimulationOptions, durationS: number, finish = true): SimOutput[] {
  const sim = new Simulation(o);
  const out = sim.advanceTo(durationS * 1000 - 1);
  if (finish) out.push(...sim.finish());
  return out;
}

export function publishes(out: readonly SimOutput[]): PublishOutput[] {
  return out.filter((o): o is PublishOutput => o.kind === 'publish');
}

export function numericsOf(
  out: readonly SimOutput[],
  bedId: string,
  device: 'monitor' | 'ecmo',
): { ts: number; values: Record<string, number | null> }[] {
  return publishes(out)
    .filter((o) => o.bedId === bedId && o.device === device && o.stream === 'numerics' && !o.fault)
    .map((o) => o.payload as { ts: number; values: Record<string, number | null> });
}
