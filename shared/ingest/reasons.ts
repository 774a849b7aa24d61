// Why ingest turns a message away (docs/interface.md "Bad input"). Errors are values at the edge:
// every rejection has one of these reasons, and the server counts each.

export const REJECT_REASONS = [
  'unknown_topic',
  'oversized',
  'malformed_json',
  'schema',
  'out_of_range',
  'too_old',
  'duplicate',
  'bed_limit',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const REJECT_REASON_TEXT: Record<RejectReason, string> = {
  unknown_topic: 'the topic does not fit {prefix}/{bedId}/{device}/{stream}',
  oversized: 'the payload is larger than 64 KiB',
  malformed_json: 'the payload is not a UTF-8 JSON object',
  schema: 'the payload does not match the schema of its topic (missing or mistyped field)',
  out_of_range: 'a value lies outside the plausible range of its parameter',
  too_old: 'the measurement time is more than 48 h in the past',
  duplicate: 'the same device stream already sent this ts or seq',
  bed_limit: 'a new bed ID beyond the MAX_BEDS this instance keeps',
};
