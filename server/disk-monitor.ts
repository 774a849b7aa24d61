// Measures DATA_DIR's file system and the recording's files every minute, so that health says the
// disk is filling up days before writes fail (the rate and thresholds: server/disk.ts).
import { stat, statfs } from 'node:fs/promises';
import { addSample, diskFigures, diskReasons, growthPerDay, type DiskFigures, type DiskThresholds, type SizeSample } from './disk.js';

export const DISK_SAMPLE_EVERY_MS = 60_000;

/** What health and /metrics read: the latest figures (null before the first measurement, or when it failed) and what is wrong. */
export interface DiskStatus {
  figures: DiskFigures | null;
  reasons: string[];
}

export class DiskMonitor {
  private samples: SizeSample[] = [];
  private figures: DiskFigures | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** The last failure reported: the same one is reported once, not every minute. */
  private lastError: string | null = null;

  constructor(
    private readonly o: {
      /** DATA_DIR: its file system is measured. */
      dir: string;
      /** The recording's files (a missing one counts 0). */
      files: readonly string[];
      now: () => number;
      thresholds: DiskThresholds;
      onError?: (err: unknown) => void;
    },
  ) {}

  /** Measures now. A failure keeps the previous figures and is reported to onError (once until it changes). */
  async measure(): Promise<void> {
    try {
      const fs = await statfs(this.o.dir);
      const sizes = await Promise.all(
        this.o.files.map((f) =>
          stat(f).then(
            (s) => s.size,
            () => 0,
          ),
        ),
      );
      const recordingBytes = sizes.reduce((a, b) => a + b, 0);
      const atMs = this.o.now();
      this.samples = addSample(this.samples, { atMs, bytes: recordingBytes });
      this.figures = diskFigures(
        { freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize, recordingBytes },
        growthPerDay(this.samples, atMs),
      );
      this.lastError = null;
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (msg !== this.lastError) this.o.onError?.(err);
      this.lastError = msg;
    }
  }

  status(): DiskStatus {
    return { figures: this.figures, reasons: this.figures ? diskReasons(this.figures, this.o.thresholds) : [] };
  }

  start(everyMs = DISK_SAMPLE_EVERY_MS): void {
    this.timer = setInterval(() => void this.measure(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
