import { describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/schemas.js';
import type { BedState } from './bed.js';
import { Beds } from './beds.js';

const patient: Patient = { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' };

describe('the bed registry', () => {
  it('creates a bed on its first message, announces it once, and returns the same bed afterwards', () => {
    const created: string[] = [];
    const beds = new Beds((bed) => created.push(bed.bedId));
    expect(beds.get('b1')).toBeUndefined();
    const b1 = beds.getOrCreate('b1');
    expect(b1.bedId).toBe('b1');
    expect(beds.getOrCreate('b1')).toBe(b1);
    expect(beds.get('b1')).toBe(b1);
    expect(created).toEqual(['b1']);
    expect(beds.size).toBe(1);
  });

  it('restores a bed from the recording with its patient, without announcing it', () => {
    const created: BedState[] = [];
    const beds = new Beds((bed) => created.push(bed));
    const restored = beds.restore('b2', patient);
    expect(restored.patient).toEqual(patient);
    expect(beds.get('b2')).toBe(restored);
    expect(beds.getOrCreate('b2')).toBe(restored);
    expect(created).toEqual([]);
  });

  it('sets the patient of a bed it already knows when restoring it', () => {
    const beds = new Beds();
    const bed = beds.getOrCreate('b1');
    expect(beds.restore('b1', patient)).toBe(bed);
    expect(bed.patient).toEqual(patient);
    expect(beds.restore('b1', null).patient).toBeNull();
    expect(beds.size).toBe(1);
  });

  it('drops a bed that leaves the ward', () => {
    const beds = new Beds();
    beds.getOrCreate('b1');
    beds.getOrCreate('b2');
    expect(beds.remove('b1')).toBe(true);
    expect(beds.get('b1')).toBeUndefined();
    expect(beds.ids()).toEqual(['b2']);
    expect(beds.remove('b1')).toBe(false);
  });

  it('lists its beds, their ids sorted', () => {
    const beds = new Beds();
    for (const id of ['b3', 'b1', 'b2']) beds.getOrCreate(id);
    expect(beds.ids()).toEqual(['b1', 'b2', 'b3']);
    expect([...beds.all()].map((b) => b.bedId)).toEqual(['b3', 'b1', 'b2']);
    expect(beds.size).toBe(3);
  });
});
