import { describe, expect, it } from 'vitest';
import { newSecret, TokenSigner } from './tokens.js';

describe('TokenSigner', () => {
  const signer = new TokenSigner(newSecret(), 60_000);
  const id = { username: 'ana', role: 'specialist' as const, version: 3 };

  it('verifies its own tokens until they expire, with the user’s token version and a token id of its own', () => {
    const token = signer.issue(id, 1000);
    expect(signer.verify(token, 2000)).toMatchObject({ ...id, expiresAtMs: 61_000 });
    expect(signer.verify(token, 2000)!.jti).not.toBe(signer.verify(signer.issue(id, 1000), 2000)!.jti);
    expect(signer.verify(token, 1000 + 60_001)).toBeNull();
  });

  it('refuses a token signed with another secret, altered, or malformed', () => {
    const other = new TokenSigner(newSecret(), 60_000).issue(id, 1000);
    expect(signer.verify(other, 2000)).toBeNull();
    const token = signer.issue(id, 1000);
    const [body, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ u: 'ana', r: 'admin', exp: 1e15 })).toString('base64url');
    expect(signer.verify(`${forged}.${sig}`, 2000)).toBeNull();
    expect(signer.verify(`${body}.`, 2000)).toBeNull();
    for (const junk of [undefined, null, 42, '', '.', 'a.b.c', 'x'.repeat(5000)]) expect(signer.verify(junk, 2000)).toBeNull();
  });
});
