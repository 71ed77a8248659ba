/**
 * launch-day --insecure against an HTTPS target with a self-signed certificate, made in the test with the
 * openssl CLI (a staging server's usual certificate): refused without the flag, exit 3 naming why; with it,
 * every request of the run reaches the server and none fails; --host-header sends a name to the address.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/contracts/errors.js';
import { startCli } from '../helpers/cli-async.js';

let dir: string;
let server: Server;
let target = '';
let hellos = 0;
/** `<SNI> <Host>` of each /hello */
const seen: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ct-insecure-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=staging.example',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:staging.example', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    if (req.url === '/hello') { hellos++; seen.push(`${(req.socket as TLSSocket).servername} ${req.headers.host}`); }
    res.writeHead(req.url === '/hello' || req.url === '/' ? 200 : 404, { 'content-type': 'text/plain' }).end('hello');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  target = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(join(dir, 'hello.ts'), `
    import type { VU } from 'capacity-test';
    export default async function (vu: VU): Promise<void> {
      await vu.http.get(\`\${vu.env.TARGET}/hello\`, { tags: { name: 'GET /hello' } });
    }
  `);
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const run = (extra: string[], out: string) => startCli(['launch-day', '--scenario', join(dir, 'hello.ts'), '--target', target,
  '--quick', '--time-scale', '120', '--scale', '0.002', '--quiet', '--out', out, ...extra], 120_000).done;

describe('launch-day against HTTPS with a self-signed certificate', () => {
  it('without --insecure: exit 3 before any load, saying the certificate is not trusted and what accepts it', async () => {
    const r = await run([], join(dir, 'refused'));
    expect(r.code).toBe(ExitCode.environment);
    expect(r.stderr).toContain(`target unreachable: ${target} does not answer: its TLS certificate is not trusted`);
    expect(r.stderr).toContain('--insecure accepts it');
    expect(hellos).toBe(0);
  });

  it('with --insecure: the journey runs over TLS, every request the run counted reached the server, none failed', async () => {
    const out = join(dir, 'run');
    const r = await run(['--insecure'], out);
    expect([ExitCode.ok, ExitCode.failed]).toContain(r.code); // 1 only if this shared machine missed the SLO
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const hello = summary.endpoints['GET /hello'];
    expect(hello.requests).toBeGreaterThan(0);
    expect(hello.errorRate).toBe(0);
    expect(hello.requests).toBe(hellos);
  });

  it('with --host-header NAME: every request goes to the address but carries NAME, as Host and as the TLS server name', async () => {
    const out = join(dir, 'named');
    const before = hellos;
    seen.length = 0;
    const r = await run(['--insecure', '--host-header', 'staging.example'], out);
    expect([ExitCode.ok, ExitCode.failed]).toContain(r.code);
    const port = new URL(target).port;
    expect(hellos - before).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([`staging.example staging.example:${port}`]));
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.endpoints['GET /hello'].requests).toBe(hellos - before);
  });
});
