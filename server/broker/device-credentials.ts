// Per-device credentials for the embedded broker: who may publish what. Read once at start from
// the JSON file named by DEVICE_CREDENTIALS; a bad file stops the start with the reason. The shared
// DEVICE_PASSWORD stays the zero-configuration default (any bed, any device).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { bedIdSchema } from '../../shared/schemas.js';
import { DEVICES } from '../../shared/topics.js';
import { verifyPassword } from '../auth/passwords.js';

const entrySchema = z
  .object({
    username: z.string().min(1).max(128),
    passwordHash: z.string().startsWith('scrypt$', 'passwordHash: a hash made by npm run hash-password'),
    beds: z.union([z.literal('*'), z.array(bedIdSchema).min(1)]),
    devices: z.array(z.enum(DEVICES)).min(1).optional(),
  })
  .strict();
const fileSchema = z.array(entrySchema);

export type DeviceCredential = z.infer<typeof entrySchema>;

/** What a device with its own credentials may publish under. */
export interface DeviceAcl {
  beds: '*' | ReadonlySet<string>;
  devices: ReadonlySet<string> | null;
}

export class DeviceCredentials {
  private readonly byUsername: Map<string, DeviceCredential>;

  constructor(entries: readonly DeviceCredential[]) {
    this.byUsername = new Map(entries.map((e) => [e.username, e]));
  }

  static fromFile(path: string): DeviceCredentials {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`DEVICE_CREDENTIALS: cannot read ${path}: ${(err as Error).message}`, { cause: err });
    }
    const r = fileSchema.safeParse(raw);
    if (!r.success) throw new Error(`DEVICE_CREDENTIALS: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return new DeviceCredentials(r.data);
  }

  /** True when this username has credentials of its own (then only its own password counts). */
  has(username: string): boolean {
    return this.byUsername.has(username);
  }

  /** The device's ACL when its password fits, else null. */
  check(username: string, password: string): DeviceAcl | null {
    const e = this.byUsername.get(username);
    if (!e || !verifyPassword(password, e.passwordHash)) return null;
    return { beds: e.beds === '*' ? '*' : new Set(e.beds), devices: e.devices ? new Set(e.devices) : null };
  }
}

/** Whether a topic `{prefix}/{bed}/{device}/{stream}` is within a device's ACL. */
export function allowedBy(acl: DeviceAcl, prefix: string, topic: string): boolean {
  const parts = topic.split('/');
  if (parts.length !== 4 || parts[0] !== prefix) return false;
  const [, bed, device] = parts;
  if (acl.beds !== '*' && !acl.beds.has(bed)) return false;
  return !acl.devices || acl.devices.has(device);
}
