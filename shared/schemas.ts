// zod schemas of every payload of the interface contract: what devices publish over MQTT and the
// bodies the REST API accepts. A schema is the type (z.infer); inside, code trusts its types.
import { z } from 'zod';
import { CONCENTRATION_UNITS, ECMO_KEYS, LAB_KEYS, LAB_SITES, MONITOR_KEYS } from './catalogue.js';

/** Largest MQTT payload accepted (docs/interface.md: at most 64 KiB). */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Most samples in one waveform chunk. */
export const MAX_WAVEFORM_SAMPLES = 4096;
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export const bedIdSchema = z.string().regex(ID_PATTERN, 'bedId must match [A-Za-z0-9_-]{1,32}');

/**
 * Measurement time: epoch milliseconds, or ISO-8601 with an explicit offset. Parsed to epoch ms.
 */
export const tsSchema = z.union([z.number().finite().nonnegative(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);

const seqSchema = z.number().int().nonnegative().optional();

/** `{key: number|null}` for the given keys; unknown keys are stripped (counted by ingest). */
function valuesOf<K extends string>(keys: readonly K[]) {
  const shape = {} as Record<K, z.ZodOptional<z.ZodNullable<z.ZodNumber>>>;
  for (const k of keys) shape[k] = z.number().finite().nullable().optional();
  return z.object(shape);
}

export const monitorNumericsSchema = z.object({
  ts: tsSchema,
  seq: seqSchema,
  values: valuesOf(MONITOR_KEYS),
});

const WAVEFORM_SIGNALS = ['abp', 'cvp', 'pleth', 'ecg'] as const;
export const waveformSchema = z.object({
  ts: tsSchema,
  seq: seqSchema,
  signal: z.enum(WAVEFORM_SIGNALS),
  rateHz: z.number().positive().max(2000),
  samples: z.array(z.number().finite()).min(1).max(MAX_WAVEFORM_SAMPLES),
});
export type Waveform = z.infer<typeof waveformSchema>;

export const ecmoNumericsSchema = z.object({
  ts: tsSchema,
  seq: seqSchema,
  values: valuesOf(ECMO_KEYS),
});

export const pumpSchema = z.object({
  ts: tsSchema,
  seq: seqSchema,
  drug: z.string().min(1).max(64),
  rateMlH: z.number().finite(),
  concentration: z.number().finite(),
  concentrationUnit: z.enum(CONCENTRATION_UNITS),
  running: z.boolean(),
});
export type PumpMessage = z.infer<typeof pumpSchema>;

export const labResultSchema = z.object({
  ts: tsSchema,
  seq: seqSchema,
  site: z.enum(LAB_SITES),
  values: valuesOf(LAB_KEYS),
});

const DEVICE_STATES = ['online', 'offline'] as const;
export const statusSchema = z.object({
  state: z.enum(DEVICE_STATES),
  ts: tsSchema.optional(),
});

// ---- REST bodies -------------------------------------------------------------------------------

export const loginSchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const ROLES = ['admin', 'specialist', 'researcher', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const newUserSchema = z.object({
  username: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'username: letters, digits, _ . - (1 to 64)'),
  password: z.string().min(8, 'password: at least 8 characters').max(256),
  role: z.enum(ROLES),
});

/** PATCH /api/users/{name}: any of a new password, role or disabled flag. */
export const userChangeSchema = z
  .object({
    password: newUserSchema.shape.password.optional(),
    role: z.enum(ROLES).optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((c) => c.password !== undefined || c.role !== undefined || c.disabled !== undefined, 'nothing to change');

export const STUDY_GROUPS = ['SS', 'RSS-ECMO', 'RSS-noECMO'] as const;
export type StudyGroup = (typeof STUDY_GROUPS)[number];
export const ECMO_MODES = ['VA', 'VV'] as const;
export type EcmoMode = (typeof ECMO_MODES)[number];

/** Study population: 29 days to 18 years (docs/clinical.md section 5); the monitor itself accepts any child. */
export const patientSchema = z.object({
  weightKg: z.number().finite().min(0.3).max(250),
  heightCm: z.number().finite().min(20).max(250),
  ageMonths: z
    .number()
    .finite()
    .min(0)
    .max(18 * 12 + 11),
  ecmoMode: z.enum(ECMO_MODES).nullable(),
  studyId: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'studyId: letters, digits, _ . - (1 to 64)')
    .optional(),
  studyGroup: z.enum(STUDY_GROUPS).optional(),
  /** Target pump flow in L/min; default from weight (docs/clinical.md section 4, low flow). */
  targetFlowLMin: z.number().finite().positive().max(10).optional(),
});
export type Patient = z.infer<typeof patientSchema>;

export const EVENT_TYPES = [
  'shock_recognized',
  'refractory_shock',
  'ecmo_consult',
  'ecmo_decision',
  'cannulation_start',
  'ecmo_flow_start',
  'target_flow_reached',
  'wean_trial',
  'decannulation',
  'picu_discharge',
  'hospital_discharge',
  'death',
  'note',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const newEventSchema = z.object({
  type: z.enum(EVENT_TYPES),
  ts: tsSchema.optional(),
  note: z.string().max(2000).optional(),
});

/** PATCH of a timeline event by a researcher: confirm, dismiss, and optionally move it. */
export const eventReviewSchema = z
  .object({
    status: z.enum(['confirmed', 'dismissed']),
    ts: tsSchema.optional(),
  })
  .strict();

/** Formats zod issues as one readable line for a 400 answer or a rejection log. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`)
    .join('; ');
}

/** At most this many beds in one `watch` (a central station shows 16; room to spare). */
const MAX_WATCH = 64;
/** A snapshot carries at most this much recent history; longer trends come from the history route. */
export const MAX_SNAPSHOT_HISTORY_S = 3600;

/** Socket.IO `watch` and `unwatch` (docs/interface.md). */
export const watchRequestSchema = z.object({
  beds: z.array(bedIdSchema).max(MAX_WATCH),
  /** Seconds of recent history in each snapshot (default 300, at most MAX_SNAPSHOT_HISTORY_S). */
  historyS: z.number().int().min(0).max(MAX_SNAPSHOT_HISTORY_S).optional(),
  /** Limit the snapshot's history to these signals. */
  signals: z.array(z.string().max(64)).max(64).optional(),
  /** Also stream the beds' waveforms. */
  waveforms: z.boolean().optional(),
});
export type WatchRequest = z.infer<typeof watchRequestSchema>;
