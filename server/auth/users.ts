// Users and roles. The built-in `admin` exists from the first start: its password comes from
// ADMIN_PASSWORD, or a random one is generated and printed once.
import type { Role } from '../../shared/schemas.js';
import type { UserStore } from '../record/recorder.js';
import { hashPassword, randomPassword, verifyPassword } from './passwords.js';
import type { Identity } from './tokens.js';

export class Users {
  constructor(private readonly rec: UserStore) {}

  /**
   * Makes sure `admin` exists. Returns the generated password when one had to be made (to be
   * printed once), otherwise null.
   */
  async bootstrapAdmin(adminPassword: string | undefined, nowMs: number): Promise<string | null> {
    const existing = await this.rec.getUser('admin');
    if (adminPassword) {
      if (!existing || !verifyPassword(adminPassword, existing.passwordHash)) {
        await this.rec.putUser({
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
    await this.rec.putUser({ username: 'admin', role: 'admin', passwordHash: hashPassword(generated), createdAt: nowMs });
    return generated;
  }

  async authenticate(username: string, password: string): Promise<Identity | null> {
    const u = await this.rec.getUser(username);
    if (!u || !verifyPassword(password, u.passwordHash)) return null;
    return { username: u.username, role: u.role };
  }

  async create(username: string, password: string, role: Role, nowMs: number): Promise<'created' | 'exists'> {
    if (await this.rec.getUser(username)) return 'exists';
    await this.rec.putUser({ username, role, passwordHash: hashPassword(password), createdAt: nowMs });
    return 'created';
  }
}
