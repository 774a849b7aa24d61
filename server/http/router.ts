// A small HTTP router on node:http: JSON in and out, the contract's error shape, bearer-token
// authentication and role checks. No framework: the API is a few dozen routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { bedIdSchema, describeIssues } from '../../shared/schemas.js';
import type { Session } from '../auth/sessions.js';
import { may, type Permission } from '../../shared/permissions.js';

const MAX_BODY_BYTES = 64 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  user: Session | null;
  /** Parses the JSON body with a schema; a 400 with the reasons otherwise. */
  body<T extends z.ZodType>(schema: T): Promise<z.infer<T>>;
  /** Requires a logged-in user (verified before the route ran) with the given permission (401 / 403 otherwise). */
  require(what: Permission): Session;
  /**
   * Whether another instance owns this bed (SHARD with REDIS_URL): then `forward` passes the call on
   * to it. Routes with a `:bed` parameter are forwarded before they run; others ask when they know the bed.
   */
  elsewhere(bedId: string): boolean;
  forward(bedId: string): Promise<void>;
}

/** Where each bed is handled when instances split the beds (server/cluster/forward.ts). */
export interface BedPlacement {
  owns(bedId: string): boolean;
  /** Passes the call on to the bed's owner and its answer back (or answers 503 / 502 itself). */
  forward(req: IncomingMessage, res: ServerResponse, url: URL, bedId: string): Promise<void>;
}

/** A handler's return value is sent as JSON; `undefined` means it answered by itself. */
type Handler = (ctx: Ctx) => unknown;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(data);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'payload_too_large', `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (!size) throw new HttpError(400, 'bad_request', 'a JSON body is required');
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad_json', 'the body is not valid JSON');
  }
}

export class Router {
  private readonly routes: Route[] = [];

  constructor(
    private readonly sessions: {
      verify(token: unknown, nowMs: number): Promise<Session | null>;
      /** Whether a verified session still holds (synchronous). */
      holds(s: Session): boolean;
    },
    private readonly now: () => number,
    /** Several instances that split the beds: where each bed is handled (null: every bed is here). */
    private readonly placement: BedPlacement | null = null,
  ) {}

  on(method: string, path: string, handler: Handler): this {
    this.routes.push({ method, parts: path.split('/').filter(Boolean), handler });
    return this;
  }

  /** Returns false when no route matches the path (so static files may answer). */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const segs = url.pathname.split('/').filter(Boolean);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = match(route.parts, segs);
      if (!params) continue;
      pathMatched = true;
      if (route.method !== req.method) continue;
      await this.run(route, req, res, params, url);
      return true;
    }
    if (pathMatched) {
      sendError(res, 405, 'method_not_allowed', `${req.method} not allowed on ${url.pathname}`);
      return true;
    }
    return false;
  }

  private async run(route: Route, req: IncomingMessage, res: ServerResponse, params: Record<string, string>, url: URL): Promise<void> {
    const placement = this.placement;
    // A call about another instance's bed goes there whole, before anything is read here (its owner
    // checks the token). A malformed bed ID stays here, for the route's own 400.
    if (placement && params.bed !== undefined && bedIdSchema.safeParse(params.bed).success && !placement.owns(params.bed)) {
      return placement.forward(req, res, url, params.bed);
    }
    // The bearer token is verified once, before the route runs (asynchronously: signature, claims,
    // session); `require` then checks synchronously that the session still holds and the role.
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null;
    const user = token ? await this.sessions.verify(token, this.now()) : null;
    const sessions = this.sessions;
    const ctx: Ctx = {
      req,
      res,
      params,
      query: url.searchParams,
      user,
      async body(schema) {
        const raw = await readBody(req);
        const r = schema.safeParse(raw);
        if (!r.success) throw new HttpError(400, 'invalid_body', describeIssues(r.error));
        return r.data;
      },
      require(what) {
        if (!user || !sessions.holds(user)) throw new HttpError(401, 'unauthorized', 'log in first: Authorization: Bearer <token>');
        if (!may(user.role, what)) throw new HttpError(403, 'forbidden', `role ${user.role} may not ${what}`);
        return user;
      },
      elsewhere: (bedId) => placement !== null && !placement.owns(bedId),
      forward: async (bedId) => {
        if (!placement) throw new Error('forward without placement');
        await placement.forward(req, res, url, bedId);
      },
    };
    try {
      const out = await route.handler(ctx);
      if (out !== undefined && !res.headersSent) sendJson(res, res.statusCode, out);
    } catch (e) {
      if (res.headersSent) return;
      if (e instanceof HttpError) sendError(res, e.status, e.code, e.message);
      else throw e;
    }
  }
}

function match(pattern: string[], segs: string[]): Record<string, string> | null {
  if (pattern.length !== segs.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(segs[i]);
      } catch {
        return null;
      }
    } else if (p !== segs[i]) return null;
  }
  return params;
}
