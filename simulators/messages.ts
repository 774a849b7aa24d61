// What the pure simulation hands the shell: messages to publish (topic as parts, payload as an
// object — or a string for a deliberately malformed one) and connection changes of devices.
import type { Device } from '../shared/topics.js';
import { topicOf } from '../shared/topics.js';
import type { FaultName } from './faultNames.js';

interface Addressed {
  /** Simulated send time, epoch ms (startMs + simulated elapsed). */
  atMs: number;
  bedId: string;
  device: Device;
}

export interface PublishOutput extends Addressed {
  kind: 'publish';
  /** `numerics`, `waveform`, `result`, `status`, or a pump channel. */
  stream: string;
  payload: Record<string, unknown> | string;
  retain: boolean;
  qos: 0 | 1;
  /** The injected fault this message carries (not part of the payload). */
  fault?: FaultName;
}

/** The device comes online: the shell opens its connection with the last will (status offline). */
interface ConnectOutput extends Addressed {
  kind: 'connect';
}

/** The device goes away: graceful (after publishing offline) or abrupt (the broker sends the will). */
interface DisconnectOutput extends Addressed {
  kind: 'disconnect';
  abrupt: boolean;
  fault?: FaultName;
}

export type SimOutput = PublishOutput | ConnectOutput | DisconnectOutput;

export const STATUS_STREAM = 'status';
export const OFFLINE_PAYLOAD = { state: 'offline' } as const;

export function topicOfOutput(prefix: string, o: PublishOutput): string {
  return topicOf(prefix, o.bedId, o.device, o.stream);
}

export function statusOutput(atMs: number, bedId: string, device: Device, state: 'online' | 'offline'): PublishOutput {
  return { kind: 'publish', atMs, bedId, device, stream: STATUS_STREAM, payload: { state, ts: atMs }, retain: true, qos: 1 };
}

/** The bytes on the wire. */
export function payloadText(o: PublishOutput): string {
  return typeof o.payload === 'string' ? o.payload : JSON.stringify(o.payload);
}
