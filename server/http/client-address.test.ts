import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, trustedProxies } from './client-address.js';

const req = (remote: string, xff?: string | string[]) =>
  ({ socket: { remoteAddress: remote }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  const proxies = trustedProxies('10.0.0.2, ::ffff:10.0.0.3');

  it('is the connection’s address when no trusted proxy is in between, whatever the headers claim', () => {
    expect(clientAddress(req('192.168.1.7', '1.2.3.4'), proxies)).toBe('192.168.1.7');
    expect(clientAddress(req('::ffff:192.168.1.7'), trustedProxies(undefined))).toBe('192.168.1.7');
  });

  it('behind a trusted proxy, is the right-most forwarded address that is not a trusted proxy', () => {
    expect(clientAddress(req('10.0.0.2', '192.168.1.7'), proxies)).toBe('192.168.1.7');
    // The client claims to be 1.2.3.4; the proxy appended what it saw.
    expect(clientAddress(req('::ffff:10.0.0.2', '1.2.3.4, 192.168.1.7'), proxies)).toBe('192.168.1.7');
    // Two trusted hops.
    expect(clientAddress(req('10.0.0.2', ['1.2.3.4, 192.168.1.7', '10.0.0.3']), proxies)).toBe('192.168.1.7');
    // A proxy that forwards nothing: the proxy is all we know.
    expect(clientAddress(req('10.0.0.2'), proxies)).toBe('10.0.0.2');
  });
});
