import { describe, expect, it } from 'vitest';
import { CookieJar } from '../../../src/scenario-api/cookie-jar.js';
import { digestAuthorization } from '../../../src/k6/modules/http.js';

describe('the cookie jar (RFC 6265 rules, as k6 applies them)', () => {
  it('a Domain cookie goes to the domain and its subdomains; a host-only one to its host alone', () => {
    const jar = new CookieJar();
    jar.store('https://shop.example.in/login', ['wide=1; Domain=.example.in; Path=/', 'narrow=1; Path=/']);
    expect(jar.header('https://example.in/')).toBe('wide=1');
    expect(jar.header('https://api.example.in/x')).toBe('wide=1');
    expect(jar.header('https://shop.example.in/x')).toBe('wide=1; narrow=1');
    expect(jar.header('https://example.com/')).toBeUndefined();
  });

  it('a host cannot set a cookie for another site; jar.set says so', () => {
    const jar = new CookieJar();
    jar.store('https://shop.example.in/', 'evil=1; Domain=bank.in');
    expect(jar.size).toBe(0);
    expect(() => jar.set('https://shop.example.in/', 'evil', '1', { domain: 'bank.in' })).toThrow('cookie evil: expected a domain that shop.example.in belongs to, got "bank.in"');
  });

  it('Secure over https only; Max-Age and Expires end a cookie; the same name, domain and path replaces', () => {
    const jar = new CookieJar();
    const now = Date.parse('2026-12-03T08:00:00Z');
    jar.store('https://a.in/', ['s=1; Secure', 'short=1; Max-Age=60', `past=1; Expires=${new Date(now - 1000).toUTCString()}`], now);
    expect(jar.header('http://a.in/', now)).toBe('short=1');
    expect(jar.header('https://a.in/', now)).toBe('s=1; short=1');
    jar.store('https://a.in/', 's=2; Secure', now);
    expect(jar.header('https://a.in/', now)).toBe('s=2; short=1');
    expect(jar.header('https://a.in/', now + 61_000)).toBe('s=2');
    jar.store('https://a.in/', 's=; Max-Age=0', now + 62_000);
    expect(jar.header('https://a.in/', now + 62_000)).toBeUndefined();
  });

  it('ports do not matter; the default path is the directory of the URL', () => {
    const jar = new CookieJar();
    jar.store('http://127.0.0.1:8080/api/v1/login', 'sid=abc');
    expect(jar.header('http://127.0.0.1:9090/api/v1/orders')).toBe('sid=abc');
    expect(jar.header('http://127.0.0.1:8080/api')).toBeUndefined();
    expect(jar.cookiesForURL('http://127.0.0.1/api/v1/')).toEqual({ sid: ['abc'] });
  });
});

describe("k6's digest auth", () => {
  it("answers RFC 2617's worked example with its response", () => {
    const h = digestAuthorization('Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
      'GET', 'http://www.nowhere.org/dir/index.html', 'Mufasa', 'Circle Of Life', '0a4f113b');
    expect(h).toContain('response="6629fae49393a05397450978507c4ef1"');
    expect(h).toContain('uri="/dir/index.html"');
    expect(h).toContain('opaque="5ccc069c403ebaf9f0171e9517f40e41"');
    expect(digestAuthorization('Basic realm="x"', 'GET', 'http://x/', 'a', 'b')).toBeNull();
  });
});
