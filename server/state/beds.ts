// The bed registry: every bed this instance knows, created on its first message or when a patient
// is configured before the devices connect.
import type { Patient } from '../../shared/schemas.js';
import { BedState } from './bed.js';

export class Beds {
  private readonly beds = new Map<string, BedState>();

  constructor(private readonly onCreate: (bed: BedState) => void = () => {}) {}

  get(bedId: string): BedState | undefined {
    return this.beds.get(bedId);
  }

  getOrCreate(bedId: string): BedState {
    let bed = this.beds.get(bedId);
    if (!bed) {
      bed = new BedState(bedId);
      this.beds.set(bedId, bed);
      this.onCreate(bed);
    }
    return bed;
  }

  /** Restores a bed known from the recording, without announcing it as new. */
  restore(bedId: string, patient: Patient | null): BedState {
    let bed = this.beds.get(bedId);
    if (!bed) {
      bed = new BedState(bedId);
      this.beds.set(bedId, bed);
    }
    bed.patient = patient;
    return bed;
  }

  /** The bed leaves the ward (discharge): its live state is dropped. */
  remove(bedId: string): boolean {
    return this.beds.delete(bedId);
  }

  all(): IterableIterator<BedState> {
    return this.beds.values();
  }

  ids(): string[] {
    return [...this.beds.keys()].sort();
  }

  get size(): number {
    return this.beds.size;
  }
}
