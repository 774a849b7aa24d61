// A login over REST, as any client makes it: POST /api/login, the token back. Throws with the status
// when the login is refused, so a test never goes on with no token.
export async function loginToken(httpUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${httpUrl}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login of ${username} refused: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
