// Research exports (docs/interface.md): the server streams them and wants the bearer token, so a
// plain link cannot fetch them. One download reads the response body chunk by chunk, shows how much
// has arrived (and, for CSV, how many rows: a newline count is cheap), then saves it as a file.
import type { ApiError as ApiErrorBody } from '../../../shared/protocol.js';
import { session } from './session.svelte.js';

const NEWLINE = 0x0a;

/** A failure already put in words for the screen. */
class ExportFailure extends Error {}
/**
 * The object URL must outlive the click that starts the browser's download (revoking it at once
 * can cancel the download in some browsers); a minute is far more than it needs.
 */
const REVOKE_AFTER_MS = 60_000;

/** A failed export in words; the server's own message where it sent one. */
function failureText(status: number, serverMessage: string | undefined): string {
  if (status === 409) return 'this bed has no study patient (no studyId): nothing to export pseudonymously';
  if (status === 403) return 'your role may not export research data';
  if (status === 404) return 'unknown bed';
  if (status === 401) return 'session expired: log in again';
  return `export failed: ${serverMessage ?? `HTTP ${status}`}`;
}

/** The file name the server proposes (`content-disposition`), or the caller's. */
function fileNameOf(res: Response, fallback: string): string {
  const m = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
  return m ? m[1] : fallback;
}

function countNewlines(chunk: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < chunk.length; i++) if (chunk[i] === NEWLINE) n++;
  return n;
}

function save(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

export class StreamedDownload {
  state = $state<'idle' | 'running' | 'done' | 'failed'>('idle');
  bytes = $state(0);
  /** Data rows received (header excluded), for CSV; null where not counted. */
  rows = $state<number | null>(null);
  error = $state<string | null>(null);
  fileName = $state<string | null>(null);

  /** Fetches `path` with the session's token and saves it; `csv` counts the rows as they arrive. */
  async run(path: string, fallbackName: string, csv: boolean): Promise<void> {
    if (this.state === 'running') return;
    this.state = 'running';
    this.bytes = 0;
    this.rows = csv ? 0 : null;
    this.error = null;
    this.fileName = null;
    try {
      const res = await fetch(path, { headers: { authorization: `Bearer ${session.token ?? ''}` } });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as Partial<ApiErrorBody> | null;
        if (res.status === 401) session.logout();
        throw new ExportFailure(failureText(res.status, body?.error?.message));
      }
      if (!res.body) throw new ExportFailure('export failed: the answer has no body');
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      let lines = 0;
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        this.bytes += value.byteLength;
        if (csv) {
          lines += countNewlines(value);
          this.rows = Math.max(0, lines - 1);
        }
      }
      const fileName = fileNameOf(res, fallbackName);
      save(new Blob(chunks, { type: res.headers.get('content-type') ?? 'application/octet-stream' }), fileName);
      this.fileName = fileName;
      this.state = 'done';
    } catch (e) {
      this.error = e instanceof ExportFailure ? e.message : `export failed: ${(e as Error).message}`;
      this.state = 'failed';
    }
  }
}
