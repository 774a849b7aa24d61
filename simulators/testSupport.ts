// Helpers shared by the simulator tests: what the server's validator says of an output, and a run of
// the pure simulation collected into one list.
import type { RejectReason } from '../shared/ingest/reasons.js';
import { isInvalid, validateMessage } from '../shared/ingest/validate.js';
import { payloadText, topicOfOutput, type PublishOutput, type SimOutput } from './messages.js';
import { Simulation, type SimulationOptions } from './simulation.js';

export type Verdict = 'ok' | RejectReason;

/** What ingest would say about one published message: the server's own stateless validator. */
export function judge(o: PublishOutput, prefix = 'icu'): { verdict: Verdict; detail?: string } {
  return judgeRaw(topicOfOutput(prefix, o), payloadText(o), prefix);
}

/** The same for a message as it arrives over MQTT. */
export function judgeRaw(topicName: string, text: string, prefix = 'icu'): { verdict: Verdict; detail?: string } {
  const v = validateMessage(prefix, topicName, new TextEncoder().encode(text));
  return isInvalid(v) ? { verdict: v.reject, detail: v.detail } : { verdict: 'ok' };
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
