/**
 * A per-VU cookie jar, host-only: enough for session cookies set by the target (k6 keeps one jar
 * per VU). Domain and Path attributes are ignored; Max-Age ≤ 0 or a past Expires deletes.
 */
export class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();

  /** Store the cookies of a response's set-cookie header values. */
  store(host: string, setCookie: string | string[] | undefined, nowMs = Date.now()): void {
    if (!setCookie) return;
    for (const line of Array.isArray(setCookie) ? setCookie : [setCookie]) {
      const parts = line.split(';');
      const eq = parts[0].indexOf('=');
      if (eq <= 0) continue;
      const name = parts[0].slice(0, eq).trim();
      const value = parts[0].slice(eq + 1).trim();
      let expired = false;
      for (const attr of parts.slice(1)) {
        const [k, v = ''] = attr.split('=');
        const key = k.trim().toLowerCase();
        if (key === 'max-age' && Number(v) <= 0) expired = true;
        if (key === 'expires' && Date.parse(v) < nowMs) expired = true;
      }
      let jar = this.byHost.get(host);
      if (!jar) this.byHost.set(host, (jar = new Map()));
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
  }

  /** The Cookie header for a host, or undefined when the jar holds none. */
  header(host: string): string | undefined {
    const jar = this.byHost.get(host);
    if (!jar || jar.size === 0) return undefined;
    let out = '';
    for (const [k, v] of jar) out += (out ? '; ' : '') + `${k}=${v}`;
    return out;
  }

  clear(): void { this.byHost.clear(); }
}
