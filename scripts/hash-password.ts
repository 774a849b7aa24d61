// `npm run hash-password -- SECRET`: prints the hash of a device's password for DEVICE_CREDENTIALS.
import { hashPassword } from '../server/auth/passwords.js';

const secret = process.argv[2];
if (!secret || secret.length < 8) {
  process.stderr.write('usage: npm run hash-password -- SECRET (at least 8 characters)\n');
  process.exit(2);
}
process.stdout.write(`${hashPassword(secret)}\n`);
