// A logger that can never take the server down. Writing a log line can fail (the log's disk full,
// a closed pipe): such a failure must not be logged (that write fails too, and logging it again
// feeds a loop that takes a core and memory), must not throw, and must not stop monitoring. The
// failing destination is dropped: logging goes silent, once, and the server goes on.
import pino, { type Logger } from 'pino';

export function safeLogger(level: string): Logger {
  const dest = pino.destination({ dest: 1, sync: false });
  const log = pino({ level, base: { svc: 'ecmo-server' } }, dest);
  let dropped = false;
  dest.on('error', () => {
    if (dropped) return;
    dropped = true;
    log.level = 'silent';
    // As pino does for a broken pipe: the destination takes nothing more, and its flush at exit
    // (which would retry the failing write forever) does nothing.
    const noop = () => undefined;
    const sink = dest as unknown as Record<'write' | 'flush' | 'flushSync' | 'end' | 'destroy', () => unknown>;
    sink.write = () => true;
    sink.flush = noop;
    sink.flushSync = noop;
    sink.end = noop;
    sink.destroy = noop;
  });
  return log;
}

/** stdout and stderr that fail (the same causes) lose their output, never the process. */
export function ignoreOutputErrors(): void {
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
}
