// The stateless half of ingest: topic and bytes in, a typed message or a reason out. The server
// (server/ingest), the simulators' tests and the fuzz tests all judge a message with this one
// function; what needs memory (duplicates, lateness, clock skew, shards, counting) stays in the server.
import { MAX_PAYLOAD_BYTES } from '../schemas.js';
import { parseTopic, type TopicInfo } from '../topics.js';
import { HANDLERS, type Parsed } from './handlers.js';
import type { RejectReason } from './reasons.js';

export interface Invalid {
  reject: RejectReason;
  detail: string;
}

export type Validated = Parsed | Invalid;

interface Utf8Decoder {
  decode(bytes: Uint8Array): string;
}
// Node and browsers both have TextDecoder; shared/ is typed with neither's library, hence the cast.
const utf8 = new (globalThis as unknown as { TextDecoder: new (label: string, o: { fatal: boolean }) => Utf8Decoder }).TextDecoder(
  'utf-8',
  { fatal: true },
);

export function isInvalid(v: Validated | { reject: RejectReason }): v is Invalid {
  return 'reject' in v;
}

/** Validates a payload against the schema of its (already parsed) topic and the catalogue's ranges. */
export function validatePayload(topic: TopicInfo, payload: Uint8Array): Validated {
  if (payload.byteLength > MAX_PAYLOAD_BYTES) return { reject: 'oversized', detail: `${payload.byteLength} bytes` };
  let body: unknown;
  try {
    body = JSON.parse(utf8.decode(payload));
  } catch {
    return { reject: 'malformed_json', detail: 'not UTF-8 JSON' };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { reject: 'malformed_json', detail: 'not a JSON object' };
  }
  return HANDLERS[topic.kind](body, topic);
}

/** Validates one message as it arrives: topic name and payload bytes. */
export function validateMessage(prefix: string, topicName: string, payload: Uint8Array): (Parsed & { topic: TopicInfo }) | Invalid {
  const topic = parseTopic(prefix, topicName);
  if (!topic) return { reject: 'unknown_topic', detail: topicName.slice(0, 200) };
  const v = validatePayload(topic, payload);
  return isInvalid(v) ? v : { ...v, topic };
}
