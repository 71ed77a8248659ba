import { createHash, timingSafeEqual } from 'node:crypto';
import { refuse } from '../domain/errors.js';

export interface AdminRules {
  /** wrong tokens one client may present per window before it is answered 429 (0 = never throttled) */
  maxWrong: number;
  windowMs: number;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * The admin token check: compared in constant time (both sides hashed to 32 bytes first, so neither the
 * content nor the length of the token leaks through timing), and a client that presents wrong tokens is
 * throttled: after `maxWrong` in a window, every admin call from it answers 429 with Retry-After until
 * the window ends (a right token too, or guessing would go on behind the 429s).
 */
export function createAdminAuth(token: string | undefined, rules: AdminRules, now: () => number = Date.now) {
  const expected = token === undefined ? null : digest(token);
  const wrong = new Map<string, { n: number; since: number }>();

  const locked = (client: string, t: number): number => {
    const w = wrong.get(client);
    if (!w) return 0;
    if (t - w.since >= rules.windowMs) { wrong.delete(client); return 0; }
    return rules.maxWrong > 0 && w.n >= rules.maxWrong ? (w.since + rules.windowMs - t) / 1000 : 0;
  };

  return {
    /**
     * 'admin' when `authorization` carries the admin token, 'none' when it carries no bearer token;
     * a wrong token throws 401 (429 once the client is throttled).
     */
    check(client: string, authorization: string | undefined): 'admin' | 'none' {
      const t = now();
      const wait = locked(client, t);
      if (wait > 0) throw refuse.tooMany(`too many wrong admin tokens from this client: try again in ${Math.ceil(wait)} s`, wait);
      const m = /^Bearer (.+)$/.exec(authorization ?? '');
      if (!m) return 'none';
      if (expected && timingSafeEqual(digest(m[1]), expected)) return 'admin';
      const w = wrong.get(client) ?? { n: 0, since: t };
      w.n += 1;
      if (wrong.size > 100_000) wrong.clear(); // bounded memory: forgetting only forgives
      wrong.set(client, w);
      throw refuse.unauthorized('missing or invalid admin token in Authorization');
    },
    /** the check for pages that need the admin token: 401 without one */
    require(client: string, authorization: string | undefined): void {
      if (this.check(client, authorization) !== 'admin') throw refuse.unauthorized('missing or invalid admin token in Authorization');
    },
  };
}
export type AdminAuth = ReturnType<typeof createAdminAuth>;
