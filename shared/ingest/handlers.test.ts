// The numerics handlers judge the common message without zod (plainNumerics); whatever the body,
// they must answer exactly what the schema alone answers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ECMO_KEYS, MONITOR_KEYS, PARAMS } from '../catalogue.js';
import { ecmoNumericsSchema, monitorNumericsSchema } from '../schemas.js';
import { parseTopic } from '../topics.js';
import { HANDLERS } from './handlers.js';

/** The handler as it was before its fast path: the schema, then the catalogue's ranges. */
function bySchema(schema: typeof monitorNumericsSchema | typeof ecmoNumericsSchema, source: 'monitor' | 'ecmo', body: unknown): unknown {
  const r = schema.safeParse(body);
  if (!r.success) {
    const first = (r.error as z.ZodError).issues[0];
    return { reject: 'schema', detail: `${first.path.join('.') || '(payload)'}: ${first.message}` };
  }
  const values: { signal: string; value: number | null }[] = [];
  for (const [key, value] of Object.entries(r.data.values)) {
    if (value === undefined) continue;
    const def = PARAMS[key as keyof typeof PARAMS];
    if (value !== null && !(value >= def.min && value <= def.max)) {
      return { reject: 'out_of_range', detail: `${key} ${value} ${def.unit} outside ${def.min}..${def.max}` };
    }
    values.push({ signal: key, value });
  }
  const raw = (body as { values?: unknown }).values as object;
  let ignoredKeys = 0;
  for (const k of Object.keys(raw)) if (!(k in r.data.values)) ignoredKeys++;
  return { kind: 'numerics', ts: r.data.ts, seq: r.data.seq, source, values, ignoredKeys };
}

const kinds = [
  { kind: 'ecmo.numerics', topic: 'icu/b1/ecmo/numerics', keys: ECMO_KEYS, schema: ecmoNumericsSchema, source: 'ecmo' },
  { kind: 'monitor.numerics', topic: 'icu/b1/monitor/numerics', keys: MONITOR_KEYS, schema: monitorNumericsSchema, source: 'monitor' },
] as const;

/** A value as devices (and broken devices) send it: mostly plausible numbers, sometimes anything. */
const value = (key: string) => {
  const def = PARAMS[key as keyof typeof PARAMS];
  return fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: def.min, max: def.max, noNaN: true }) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.oneof(fc.string(), fc.boolean(), fc.constant([]), fc.constant({})) },
  );
};

describe('the numerics handlers', () => {
  for (const k of kinds) {
    it(`answer for ${k.kind} exactly what the schema alone answers, whatever the body`, () => {
      const topic = parseTopic('icu', k.topic)!;
      const values = fc.dictionary(
        fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...k.keys) }, { weight: 1, arbitrary: fc.string() }),
        fc.anything(),
      );
      const plausible = fc.record(Object.fromEntries(k.keys.map((key) => [key, value(key)])), { requiredKeys: [] });
      const body = fc.record(
        {
          ts: fc.oneof(fc.nat(), fc.double(), fc.constant('2026-11-25T10:00:00Z'), fc.string()),
          seq: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.constant(2 ** 60), fc.string()),
          values: fc.oneof(plausible, values, fc.constant(null), fc.constant([]), fc.string()),
          other: fc.anything(),
        },
        { requiredKeys: [] },
      );
      fc.assert(
        fc.property(body, (b) => {
          // As JSON carries it: no undefined, -0 as 0, no NaN (null in JSON).
          const parsed = JSON.parse(JSON.stringify(b)) as unknown;
          expect(HANDLERS[k.kind](parsed, topic)).toEqual(bySchema(k.schema, k.source, parsed));
        }),
        { numRuns: 3000 },
      );
    });
  }

  it('keep the catalogue order of the values, null for a sensor that is off, and count nothing ignored', () => {
    const topic = parseTopic('icu', 'icu/b1/ecmo/numerics')!;
    expect(HANDLERS['ecmo.numerics']({ ts: 5, seq: 3, values: { svo2: 70, flow: 2, pPre: null } }, topic)).toEqual({
      kind: 'numerics',
      ts: 5,
      seq: 3,
      source: 'ecmo',
      values: [
        { signal: 'flow', value: 2 },
        { signal: 'pPre', value: null },
        { signal: 'svo2', value: 70 },
      ],
      ignoredKeys: 0,
    });
  });
});
