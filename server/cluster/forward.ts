// A REST call about a bed that another instance owns (SHARD) is passed on to that instance as it
// came (method, path, query, headers with the caller's token, body) and its answer passed back as it
// comes (status, headers, streamed body: CSV exports too). The owner authenticates and authorises
// the call itself. A call that arrives already forwarded is never forwarded again: two instances
// that disagree about the shards answer 503 instead of passing a call round for ever.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { sendError, type BedPlacement } from '../http/router.js';
import type { Cluster } from './cluster.js';

/** Marks a forwarded call (its value: the forwarding instance's shard, for the owner's log). */
export const FORWARDED_HEADER = 'x-ecmo-forwarded-from';
/** The owner must answer within this long. */
const FORWARD_TIMEOUT_MS = 30_000;
/** Hop-by-hop headers (RFC 9110, 7.6.1) are not passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);

/** Where each bed is handled, and how a call reaches the right instance. */
export function bedPlacement(cluster: Cluster, now: () => number): BedPlacement {
  return {
    owns: (bedId) => cluster.owns(bedId),
    async forward(req, res, url, bedId) {
      const { index, count } = cluster.shard;
      if (req.headers[FORWARDED_HEADER] !== undefined) {
        return sendError(
          res,
          503,
          'wrong_instance',
          `bed ${bedId} was forwarded here but this instance is shard ${index}/${count}: the instances disagree about SHARD`,
        );
      }
      const owner = await cluster.ownerUrl(bedId, now());
      if (!owner) {
        return sendError(
          res,
          503,
          'owner_unavailable',
          `bed ${bedId} belongs to another instance, which is not running (or Redis cannot be reached); try again shortly`,
        );
      }
      await passOn(req, res, new URL(url.pathname + url.search, owner), `${index}/${count}`);
    },
  };
}

// An owner served over HTTPS is checked like any server: its certificate must be trusted here
// (NODE_EXTRA_CA_CERTS for a site's own CA).
function passOn(req: IncomingMessage, res: ServerResponse, target: URL, from: string): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
  headers[FORWARDED_HEADER] = from;
  // The original caller's address, for the owner's log.
  const caller = req.socket.remoteAddress;
  if (caller) headers['x-forwarded-for'] = [req.headers['x-forwarded-for'], caller].filter(Boolean).join(', ');
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<void>((resolve) => {
    const out = request(target, { method: req.method, headers, timeout: FORWARD_TIMEOUT_MS }, (answer) => {
      const back: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) back[k] = v;
      res.writeHead(answer.statusCode ?? 502, back);
      answer.pipe(res);
      answer.on('end', resolve);
      answer.on('error', () => {
        res.destroy();
        resolve();
      });
    });
    out.on('timeout', () => out.destroy(new Error(`no answer within ${FORWARD_TIMEOUT_MS / 1000} s`)));
    out.on('error', (err) => {
      if (!res.headersSent) sendError(res, 502, 'owner_unreachable', `the instance that owns this bed did not answer: ${err.message}`);
      else res.destroy();
      resolve();
    });
    req.pipe(out);
  });
}
