/** The server the k6 corpus runs against: a few routes k6 scripts use, every request recorded. */
import { createHash } from 'node:crypto';
import { startCountingServer, type CountingServer } from '../engine/helpers.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** RFC 7616 digest (MD5, qop auth) checked here on its own, for 28-digest-auth.js: alice / s3cr@t. */
function digestOk(header: string | undefined, method: string, uri: string): string | null {
  if (!header?.startsWith('Digest ')) return null;
  const f = Object.fromEntries([...header.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [m[1], m[2] ?? m[3]]));
  if (f.username !== 'alice' || f.realm !== 'corpus' || f.nonce !== 'n0nce' || f.opaque !== '0paque' || f.uri !== uri || f.qop !== 'auth') return null;
  const expected = md5(`${md5('alice:corpus:s3cr@t')}:${f.nonce}:${f.nc}:${f.cnonce}:auth:${md5(`${method}:${uri}`)}`);
  return f.response === expected ? f.username : null;
}

export interface Seen { method: string; path: string; query: URLSearchParams; headers: Record<string, string | string[] | undefined>; body: Buffer }

export interface K6Server extends CountingServer { seen: Seen[]; paths(prefix: string): Seen[] }

const JSON_BODY = JSON.stringify({ items: [{ id: 7, name: 'one' }, { id: 8, name: 'two' }], token: 't0k3n' });

export async function startK6Server(): Promise<K6Server> {
  const seen: Seen[] = [];
  const server = await startCountingServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', path: u.pathname, query: u.searchParams, headers: req.headers, body });
      const json = (v: unknown, status = 200) => { res.statusCode = status; res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(v)); };
      const p = u.pathname;
      if (p === '/json') { res.setHeader('content-type', 'application/json'); res.end(JSON_BODY); return; }
      if (p === '/echo') { json({ method: req.method, headers: req.headers, body: body.toString('utf8') }); return; }
      if (p.startsWith('/status/')) { res.statusCode = Number(p.slice(8)); res.end(''); return; }
      if (p === '/login') { res.setHeader('set-cookie', `sid=${new URLSearchParams(body.toString()).get('user')}; Path=/; HttpOnly`); json({ ok: true }); return; }
      if (p === '/cookies' || p.endsWith('/cookies')) { res.end(req.headers.cookie ?? ''); return; }
      if (p === '/set-cookies') {
        res.setHeader('set-cookie', ['scoped=1; Path=/app', 'evil=1; Domain=example.com', 'gone=1; Max-Age=0', 'plain=1']);
        res.end();
        return;
      }
      if (p.startsWith('/digest/')) {
        const user = digestOk(req.headers.authorization, req.method ?? '', req.url ?? '');
        if (!user) { res.statusCode = 401; res.setHeader('www-authenticate', 'Digest realm="corpus", nonce="n0nce", qop="auth", opaque="0paque", algorithm=MD5'); res.end(); return; }
        res.end(`welcome ${user}`);
        return;
      }
      if (p === '/redirect') { res.statusCode = 302; res.setHeader('location', '/json'); res.end(); return; }
      if (p === '/upload') {
        const boundary = /boundary=(.+)$/.exec(String(req.headers['content-type']))?.[1] ?? '';
        const parts = body.toString('latin1').split(`--${boundary}`).slice(1, -1);
        const file = parts.find((x) => x.includes('filename='));
        const fileBytes = file ? Buffer.byteLength(file.slice(file.indexOf('\r\n\r\n') + 4, -2), 'latin1') : -1;
        json({ parts: parts.length, fileBytes });
        return;
      }
      json({ ok: true });
    });
  });
  return Object.assign(server, { seen, paths: (prefix: string) => seen.filter((s) => s.path.startsWith(prefix)) });
}
