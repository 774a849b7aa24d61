// Ingest counters: accepted messages, and rejections by reason (shared/ingest/reasons.ts).
import { REJECT_REASONS, type RejectReason } from '../../shared/ingest/reasons.js';

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
