// The address a request comes from, for the login throttle and the audit. Behind a reverse proxy
// every request comes from the proxy: when it is one of TRUST_PROXY's addresses, the client is the
// right-most X-Forwarded-For entry that is not itself a trusted proxy (what the last trusted hop
// saw). Entries further left are whatever the client claimed, and are never believed.
import type { IncomingMessage } from 'node:http';

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is 10.0.0.1. */
function plain(address: string): string {
  const a = address.trim();
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

export function clientAddress(req: IncomingMessage, trustedProxies: ReadonlySet<string>): string {
  const remote = plain(req.socket.remoteAddress ?? '?');
  if (!trustedProxies.has(remote)) return remote;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map(plain).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) if (!trustedProxies.has(hops[i])) return hops[i];
  return remote;
}

/** TRUST_PROXY: comma-separated addresses of the reverse proxies in front of this server. */
export function trustedProxies(list: string | undefined): Set<string> {
  return new Set((list ?? '').split(',').map(plain).filter(Boolean));
}
