// Times on screen: a 24-hour clock in the browser's time zone, as ICU charts and monitors write them.
const pad2 = (n: number) => String(n).padStart(2, '0');

/** "07:05", or "07:05:09" with seconds. */
export function clock24(ms: number, seconds = false): string {
  const d = new Date(ms);
  const hm = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  return seconds ? `${hm}:${pad2(d.getSeconds())}` : hm;
}

/** Minutes and seconds left, "1:05" (a countdown rounds up: "0:01" until the very end). */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${pad2(s % 60)}`;
}

/** "2030-01-02": the local calendar date, ISO 8601 (year first, never ambiguous between countries). */
export function isoDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** "07:05" on the day of `nowMs`, "2030-01-01 23:40" on any other day. */
export function dateTime24(ms: number, nowMs: number): string {
  return isoDate(ms) === isoDate(nowMs) ? clock24(ms) : `${isoDate(ms)} ${clock24(ms)}`;
}
