// Users and roles. The built-in `admin` exists from the first start: its password comes from
// ADMIN_PASSWORD, or a random one is generated and printed once.
import type { Role } from '../../shared/schemas.js';
import type { Recorder } from '../record/recorder.js';
import { hashPassword, randomPassword, verifyPassword } from './passwords.js';
import type { Identity } from './tokens.js';

export class Users {
  constructor(private readonly rec: Recorder) {}

  /**
   * Makes sure `admin` exists. Returns the generated password when one had to be made (to be
   * printed once), otherwise null.
   */
  bootstrapAdmin(adminPassword: string | undefined, nowMs: number): string | null {
    const existing = this.rec.getUser('admin');
    if (adminPassword) {
      if (!existing || !verifyPassword(adminPassword, existing.passwordHash)) {
        this.rec.putUser({
          username: 'admin',
          role: 'admin',
          passwordHash: hashPassword(adminPassword),
          createdAt: existing?.createdAt ?? nowMs,
        });
      }
      return null;
    }
    if (existing) return null;
    const generated = randomPassword();
    this.rec.putUser({ username: 'admin', role: 'admin', passwordHash: hashPassword(generated), createdAt: nowMs });
    return generated;
  }

  authenticate(username: string, password: string): Identity | null {
    const u = this.rec.getUser(username);
    if (!u || !verifyPassword(password, u.passwordHash)) return null;
    return { username: u.username, role: u.role };
  }

  create(username: string, password: string, role: Role, nowMs: number): 'created' | 'exists' {
    if (this.rec.getUser(username)) return 'exists';
    this.rec.putUser({ username, role, passwordHash: hashPassword(password), createdAt: nowMs });
    return 'created';
  }
}
