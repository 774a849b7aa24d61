// REST calls with the session's token; a 401 ends the session (expired or revoked token): the login
// page says so.
import { session } from './session.svelte.js';
import type { ApiError as ApiErrorBody } from '../../../shared/protocol.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, {
    ...init,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token ?? ''}`, ...(init.headers ?? {}) },
  });
  const body: unknown = await res.json().catch(() => null);
  if (res.status === 401) session.expire();
  if (!res.ok) {
    const e = (body as Partial<ApiErrorBody> | null)?.error;
    throw new ApiError(res.status, e?.code ?? 'error', e?.message ?? `HTTP ${res.status}`);
  }
  return body as T;
}
