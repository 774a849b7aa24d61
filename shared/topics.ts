// MQTT topic layout: {prefix}/{bedId}/{device}/{stream} (docs/interface.md, "MQTT: what devices publish").
import { ID_PATTERN } from './schemas.js';

/** The kinds of message ingest knows, one handler each. */
export type MessageKind = 'monitor.numerics' | 'monitor.waveform' | 'ecmo.numerics' | 'pump' | 'lab.result' | 'status';

export interface TopicInfo {
  bedId: string;
  device: string;
  stream: string;
  kind: MessageKind;
  /** Pump channel name for `pump` messages. */
  channel?: string;
}

const FIXED: Record<string, MessageKind> = {
  'monitor/numerics': 'monitor.numerics',
  'monitor/waveform': 'monitor.waveform',
  'ecmo/numerics': 'ecmo.numerics',
  'lab/result': 'lab.result',
};

/** Devices that may publish a `status` (their MQTT last will). */
export const DEVICES = ['monitor', 'ecmo', 'pump', 'lab'] as const;
export type Device = (typeof DEVICES)[number];

/**
 * Parses a topic; `null` when it does not fit the contract (counted as `unknown_topic`).
 * `pump/status` is the pump's status, so a pump channel cannot be named `status`.
 */
export function parseTopic(prefix: string, topic: string): TopicInfo | null {
  const parts = topic.split('/');
  if (parts.length !== 4 || parts[0] !== prefix) return null;
  const [, bedId, device, stream] = parts;
  if (!ID_PATTERN.test(bedId)) return null;
  if (stream === 'status') {
    return (DEVICES as readonly string[]).includes(device) ? { bedId, device, stream, kind: 'status' } : null;
  }
  if (device === 'pump') {
    return ID_PATTERN.test(stream) ? { bedId, device, stream, kind: 'pump', channel: stream } : null;
  }
  const kind = FIXED[`${device}/${stream}`];
  return kind ? { bedId, device, stream, kind } : null;
}

export function topicOf(prefix: string, bedId: string, device: string, stream: string): string {
  return `${prefix}/${bedId}/${device}/${stream}`;
}
