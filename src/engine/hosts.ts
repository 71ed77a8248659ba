import { lookup as dnsLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { invalid } from '../contracts/errors.js';

/** k6's `hosts` option: host names the engine connects to elsewhere (`{ 'staging.example.in': '10.0.0.5' }`). */
export type Hosts = Readonly<Record<string, string>>;

const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

/** A DNS host name (letters, digits, hyphens, dots). */
export const isHostName = (s: string): boolean => NAME.test(s);

/** Validate `options.hosts`: names to an IP address or another name (no port); keys lower-cased. */
export function parseHosts(value: unknown, what = 'options.hosts'): Hosts | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(what, 'an object of host name → IP address or host name', value);
  const out: Record<string, string> = {};
  for (const [name, to] of Object.entries(value as Record<string, unknown>)) {
    if (!NAME.test(name)) throw invalid(`${what} key`, 'a host name', name);
    if (typeof to !== 'string' || (isIP(to) === 0 && !NAME.test(to))) throw invalid(`${what}[${JSON.stringify(name)}]`, 'an IP address or a host name (no port)', to);
    out[name.toLowerCase()] = to;
  }
  return out;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | Array<{ address: string; family: number }>, family?: number) => void;

/**
 * A `lookup` for net/tls.connect that resolves the `hosts` names to their address and every other name
 * as usual. The connection keeps the name: the Host header and the TLS server name (SNI, and the
 * certificate check) are the name's, only the address changes.
 */
export function hostsLookup(hosts: Hosts): LookupFunction {
  return ((hostname: string, options: { all?: boolean; family?: number } | LookupCallback, callback?: LookupCallback): void => {
    const opts = typeof options === 'function' ? {} : options;
    const cb = (typeof options === 'function' ? options : callback)!;
    const to = hosts[hostname.toLowerCase()];
    const name = to ?? hostname;
    const family = isIP(name);
    if (family !== 0) {
      if (opts.all) cb(null, [{ address: name, family }]);
      else cb(null, name, family);
      return;
    }
    dnsLookup(name, opts as never, cb as never);
  }) as unknown as LookupFunction;
}
