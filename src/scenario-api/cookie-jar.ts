/**
 * A cookie jar with the rules of RFC 6265 that k6's jar (Go's net/http/cookiejar) applies: a cookie
 * belongs to a domain (host-only without a Domain attribute; that domain and its subdomains with one,
 * refused when the setting host is outside it) and a path (the Path attribute, else the directory of
 * the URL's path), is sent on a URL whose host and path match, `Secure` ones over https only, longer
 * paths first, and goes at Max-Age ≤ 0 or an Expires in the past. Ports do not matter, as in RFC 6265.
 * One per VU in the engine (k6's http.cookieJar()), and `new http.CookieJar()` for a request's `jar`.
 */

interface Stored {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  /** epoch ms; Infinity for a session cookie */
  expiresAt: number;
  secure: boolean;
  httpOnly: boolean;
  /** creation order, for the send order of equal paths */
  seq: number;
}

/** k6's options of jar.set(url, name, value, options). */
export interface CookieOptions {
  domain?: string;
  path?: string;
  /** an HTTP date */
  expires?: string;
  /** seconds */
  max_age?: number;
  secure?: boolean;
  http_only?: boolean;
}

interface UrlParts { secure: boolean; host: string; path: string }

function partsOf(url: string): UrlParts {
  const m = /^(https?):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::\d*)?([^?#]*)/i.exec(url);
  if (!m) throw new Error(`invalid URL: expected http(s)://host/path, got ${JSON.stringify(url)}`);
  return { secure: m[1].toLowerCase() === 'https', host: m[2].toLowerCase(), path: m[3] === '' ? '/' : m[3] };
}

/** RFC 6265 5.1.4: the directory of the request path. */
function defaultPath(path: string): string {
  if (!path.startsWith('/')) return '/';
  const last = path.lastIndexOf('/');
  return last <= 0 ? '/' : path.slice(0, last);
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || (host.endsWith(`.${domain}`) && !/^[\d.]+$/.test(host));
}

function pathMatches(reqPath: string, cookiePath: string): boolean {
  if (reqPath === cookiePath) return true;
  return reqPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || reqPath.charAt(cookiePath.length) === '/');
}

export class CookieJar {
  private cookies: Stored[] = [];
  private seq = 0;

  /** how many cookies it holds (expired ones until they are next looked at) */
  get size(): number { return this.cookies.length; }

  /** Keep the cookies of a response to `url` (its set-cookie values). */
  store(url: string, setCookie: string | readonly string[] | undefined, now = Date.now()): void {
    if (!setCookie) return;
    const u = partsOf(url);
    for (const line of typeof setCookie === 'string' ? [setCookie] : setCookie) this.storeOne(u, line, now);
  }

  /** The Cookie header for a request to `url`, or undefined when no cookie goes with it. */
  header(url: string, now = Date.now()): string | undefined {
    if (this.cookies.length === 0) return undefined;
    let out = '';
    for (const c of this.matching(partsOf(url), now)) out += (out ? '; ' : '') + `${c.name}=${c.value}`;
    return out || undefined;
  }

  /** k6 jar.set(url, name, value, options): as if `url` had answered with that set-cookie. */
  set(url: string, name: string, value: string, o: CookieOptions = {}): void {
    const u = partsOf(url);
    let line = `${name}=${value}`;
    if (o.domain) line += `; Domain=${o.domain}`;
    if (o.path) line += `; Path=${o.path}`;
    if (o.expires) line += `; Expires=${o.expires}`;
    if (o.max_age !== undefined) line += `; Max-Age=${o.max_age}`;
    if (o.secure) line += '; Secure';
    if (o.http_only) line += '; HttpOnly';
    this.storeOne(u, line, Date.now(), true);
  }

  /** k6 jar.cookiesForURL(url): name → values of the cookies a request to `url` would send. */
  cookiesForURL(url: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const c of this.matching(partsOf(url), Date.now())) (out[c.name] ??= []).push(c.value);
    return out;
  }

  /** k6 jar.delete(url, name): the cookie `name` that a request to `url` would send goes. */
  delete(url: string, name: string): void {
    const gone = new Set(this.matching(partsOf(url), Date.now()).filter((c) => c.name === name));
    this.cookies = this.cookies.filter((c) => !gone.has(c));
  }

  /** k6 jar.clear(url): every cookie a request to `url` would send goes; without a URL, every cookie. */
  clear(url?: string): void {
    if (url === undefined) { this.cookies = []; return; }
    const gone = new Set(this.matching(partsOf(url), Date.now()));
    this.cookies = this.cookies.filter((c) => !gone.has(c));
  }

  private matching(u: UrlParts, now: number): Stored[] {
    const live: Stored[] = [];
    const out: Stored[] = [];
    for (const c of this.cookies) {
      if (c.expiresAt <= now) continue;
      live.push(c);
      if (c.secure && !u.secure) continue;
      if (c.hostOnly ? u.host !== c.domain : !domainMatches(u.host, c.domain)) continue;
      if (!pathMatches(u.path, c.path)) continue;
      out.push(c);
    }
    if (live.length !== this.cookies.length) this.cookies = live;
    return out.sort((a, b) => b.path.length - a.path.length || a.seq - b.seq);
  }

  private storeOne(u: UrlParts, line: string, now: number, fromScript = false): void {
    const parts = line.split(';');
    const eq = parts[0].indexOf('=');
    if (eq <= 0) return;
    const name = parts[0].slice(0, eq).trim();
    const value = parts[0].slice(eq + 1).trim();
    let domain = '', path = '', maxAge: number | null = null, expires: number | null = null, secure = false, httpOnly = false;
    for (const attr of parts.slice(1)) {
      const at = attr.indexOf('=');
      const key = (at < 0 ? attr : attr.slice(0, at)).trim().toLowerCase();
      const v = at < 0 ? '' : attr.slice(at + 1).trim();
      if (key === 'domain') domain = v.replace(/^\./, '').toLowerCase();
      else if (key === 'path') path = v;
      else if (key === 'max-age') { const n = Number(v); if (v !== '' && Number.isFinite(n)) maxAge = n; }
      else if (key === 'expires') { const t = Date.parse(v); if (Number.isFinite(t)) expires = t; }
      else if (key === 'secure') secure = true;
      else if (key === 'httponly') httpOnly = true;
    }
    // a host may set a cookie for itself or a domain above it, never for another site
    if (domain && !domainMatches(u.host, domain)) {
      if (fromScript) throw new Error(`cookie ${name}: expected a domain that ${u.host} belongs to, got ${JSON.stringify(domain)}`);
      return;
    }
    const c: Stored = {
      name, value, domain: domain || u.host, hostOnly: !domain, path: path.startsWith('/') ? path : defaultPath(u.path),
      expiresAt: maxAge !== null ? (maxAge <= 0 ? -Infinity : now + maxAge * 1000) : expires !== null ? expires : Infinity,
      secure, httpOnly, seq: this.seq++,
    };
    const same = this.cookies.findIndex((x) => x.name === c.name && x.domain === c.domain && x.path === c.path && x.hostOnly === c.hostOnly);
    if (same >= 0) { c.seq = this.cookies[same].seq; this.cookies.splice(same, 1); }
    if (c.expiresAt <= now) return; // expired: removing the old one was all
    this.cookies.push(c);
  }
}
