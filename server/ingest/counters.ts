// Ingest counters: accepted messages, and rejections by reason. Errors are values at the edge:
// every rejection has a reason from this list, and each is counted.

export const REJECT_REASONS = ['unknown_topic', 'oversized', 'malformed_json', 'schema', 'out_of_range', 'too_old', 'duplicate'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const REJECT_REASON_TEXT: Record<RejectReason, string> = {
  unknown_topic: 'the topic does not fit {prefix}/{bedId}/{device}/{stream}',
  oversized: 'the payload is larger than 64 KiB',
  malformed_json: 'the payload is not a UTF-8 JSON object',
  schema: 'the payload does not match the schema of its topic (missing or mistyped field)',
  out_of_range: 'a value lies outside the plausible range of its parameter',
  too_old: 'the measurement time is more than 48 h in the past',
  duplicate: 'the same device stream already sent this ts or seq',
};

export class IngestCounters {
  accepted = 0;
  duplicates = 0;
  clockSkew = 0;
  late = 0;
  ignoredKeys = 0;
  /** Messages for beds another shard processes (SHARD=i/n); not an error. */
  otherShard = 0;
  readonly byReason: Record<RejectReason, number>;
  private rejectedTotal = 0;

  constructor() {
    this.byReason = Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>;
  }

  reject(reason: RejectReason): void {
    this.byReason[reason]++;
    this.rejectedTotal++;
    if (reason === 'duplicate') this.duplicates++;
  }

  get rejected(): number {
    return this.rejectedTotal;
  }

  toJSON() {
    return {
      accepted: this.accepted,
      rejected: { total: this.rejectedTotal, byReason: { ...this.byReason } },
      duplicates: this.duplicates,
      clockSkew: this.clockSkew,
      late: this.late,
      ignoredKeys: this.ignoredKeys,
    };
  }
}
