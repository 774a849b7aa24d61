// Users and roles. The built-in `admin` exists from the first start: its password comes from
// ADMIN_PASSWORD, or a random one is generated and printed once.
import type { Role } from '../../shared/schemas.js';
import type { UserRow, UserStore } from '../record/recorder.js';
import { hashPassword, randomPassword, verifyPassword } from './passwords.js';

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
        // A new ADMIN_PASSWORD ends the sessions issued under the old one.
        await this.rec.putUser({
          ...existing,
          username: 'admin',
          role: 'admin',
          passwordHash: hashPassword(adminPassword),
          createdAt: existing?.createdAt ?? nowMs,
          tokenVersion: existing ? (existing.tokenVersion ?? 0) + 1 : 0,
          disabled: false,
        });
      }
      return null;
    }
    if (existing) return null;
    const generated = randomPassword();
    await this.rec.putUser({ username: 'admin', role: 'admin', passwordHash: hashPassword(generated), createdAt: nowMs });
    return generated;
  }

  /** The user behind a name and password, or null (unknown, wrong password, or disabled). */
  async authenticate(username: string, password: string): Promise<UserRow | null> {
    const u = await this.rec.getUser(username);
    if (!u || u.disabled || !verifyPassword(password, u.passwordHash)) return null;
    return u;
  }

  async list(): Promise<{ username: string; role: Role; disabled: boolean; createdAt: number }[]> {
    return (await this.rec.listUsers()).map((u) => ({
      username: u.username,
      role: u.role,
      disabled: !!u.disabled,
      createdAt: u.createdAt,
    }));
  }

  /**
   * Changes a user's password, role or disabled flag; every token issued before stops working (its
   * token version is bumped). Null for an unknown user.
   */
  async update(username: string, change: { password?: string; role?: Role; disabled?: boolean }): Promise<UserRow | null> {
    const u = await this.rec.getUser(username);
    if (!u) return null;
    const next: UserRow = {
      ...u,
      role: change.role ?? u.role,
      passwordHash: change.password !== undefined ? hashPassword(change.password) : u.passwordHash,
      disabled: change.disabled ?? u.disabled,
      tokenVersion: (u.tokenVersion ?? 0) + 1,
    };
    await this.rec.putUser(next);
    return next;
  }

  async remove(username: string): Promise<boolean> {
    return this.rec.deleteUser(username);
  }

  async create(username: string, password: string, role: Role, nowMs: number): Promise<'created' | 'exists'> {
    if (await this.rec.getUser(username)) return 'exists';
    await this.rec.putUser({ username, role, passwordHash: hashPassword(password), createdAt: nowMs });
    return 'created';
  }
}
