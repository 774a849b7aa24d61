// Password hashing with scrypt (node:crypto): salted, slow on purpose, compared in constant time.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const KEY_LEN = 32;
const COST = 16384; // scrypt N: ~30 ms a hash on this class of machine; login is rare.

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, KEY_LEN, { N: COST });
  return `scrypt$${COST}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, cost, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const key = scryptSync(password, Buffer.from(saltB64, 'base64'), expected.length, { N: Number(cost) });
  return timingSafeEqual(key, expected);
}

/** A random password for generated credentials (admin at first start, devices). */
export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}
