// A connection URL (DATABASE_URL, REDIS_URL) for messages and logs: its password hidden.
export function redactUrl(url: string, whenNotAUrl: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return whenNotAUrl;
  }
}
