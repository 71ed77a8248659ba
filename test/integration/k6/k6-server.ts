/** The server the k6 corpus runs against: a few routes k6 scripts use, every request recorded. */
import { startCountingServer, type CountingServer } from '../engine/helpers.js';

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
      if (p === '/cookies') { res.end(req.headers.cookie ?? ''); return; }
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
