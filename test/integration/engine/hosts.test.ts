import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHosts } from '../../../src/engine/hosts.js';
import { runEngine } from '../../../src/engine/index.js';
import { writeScenario } from './helpers.js';

const NAME = 'staging.example.test';

describe("k6's hosts option: a name connected to at another address", () => {
  it('sends the name as Host while connecting to the mapped address (plain HTTP)', async () => {
    const hosts: string[] = [];
    const server = createServer((req, res) => { hosts.push(req.headers.host ?? ''); res.end('ok'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const file = writeScenario(`
        export const options = { hosts: { '${NAME}': '127.0.0.1' }, scenarios: { a: { executor: 'per-vu-iterations', vus: 1, iterations: 5 } } };
        export default async function (vu) {
          const r = await vu.http.get(vu.env.TARGET + '/x');
          if (r.status !== 200) throw new Error('status ' + r.status + ' ' + r.error);
        }`, 'hosts.js');
      const result = await runEngine({ scenarioFile: file, env: { TARGET: `http://${NAME}:${port}` }, workers: 1 });
      expect(result.iterationErrors).toEqual([]);
      expect(hosts).toEqual(Array(5).fill(`${NAME}:${port}`));
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('keeps the name for TLS too: the server is asked for it by SNI and its certificate is checked against it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ct-hosts-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${NAME}`,
      '-addext', `subjectAltName=DNS:${NAME}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const names: string[] = [];
    const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      names.push(`${(req.socket as TLSSocket).servername} ${req.headers.host}`);
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      // the certificate is for the name, self-signed: insecureSkipTLSVerify accepts its issuer, SNI still carries the name
      const file = writeScenario(`
        export const options = { insecureSkipTLSVerify: true, hosts: { '${NAME}': '127.0.0.1' }, scenarios: { a: { executor: 'per-vu-iterations', vus: 1, iterations: 3 } } };
        export default async function (vu) {
          const r = await vu.http.get(vu.env.TARGET + '/x');
          if (r.status !== 200) throw new Error('status ' + r.status + ' ' + r.error);
        }`, 'hosts-tls.js');
      const result = await runEngine({ scenarioFile: file, env: { TARGET: `https://${NAME}:${port}` }, workers: 1 });
      expect(result.iterationErrors).toEqual([]);
      expect(names).toEqual(Array(3).fill(`${NAME} ${NAME}:${port}`));
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('refuses a mapping with a port or a non-address, naming it', () => {
    expect(parseHosts({ 'A.Example': '10.0.0.5' })).toEqual({ 'a.example': '10.0.0.5' });
    expect(() => parseHosts({ [NAME]: '10.0.0.5:8443' })).toThrow(`invalid options.hosts["${NAME}"]: expected an IP address or a host name (no port), got "10.0.0.5:8443"`);
    expect(() => parseHosts(['x'])).toThrow('invalid options.hosts: expected an object');
  });
});
