import { Agent, type Dispatcher } from 'undici';
import { invalid } from '../contracts/errors.js';
import { hostsLookup, isHostName, parseHosts, type Hosts } from '../engine/hosts.js';

export interface TargetRoute {
  /** the URL the scenario, the check and the scraper use (the --host-header name in place of the address) */
  target: string;
  /** k6's hosts option for the engine: the name → the address it stands for */
  hosts?: Hosts;
  /** for the CLI's own requests (reachability, scrapes): the same name mapping, and --insecure */
  dispatcher?: Dispatcher;
}

/**
 * `--target URL [--host-header NAME] [--insecure]`: a staging server behind a shared address answers by
 * name. With NAME, every request goes to the target's address but carries NAME — as its Host header and
 * as its TLS server name (SNI and the certificate check) — which is k6's `hosts` option over a URL of NAME.
 */
export function routeTarget(target: string, o: { hostHeader?: string; insecure?: boolean }): TargetRoute {
  let hosts: Hosts | undefined;
  let url = target;
  if (o.hostHeader !== undefined) {
    if (!isHostName(o.hostHeader)) throw invalid('--host-header', 'a host name such as staging.example.in', o.hostHeader);
    const u = new URL(target);
    const address = u.hostname.replace(/^\[|\]$/g, '');
    hosts = parseHosts({ [o.hostHeader]: address }, '--host-header');
    if (!hosts) throw invalid('--host-header', 'a host name', o.hostHeader);
    u.hostname = o.hostHeader;
    url = u.href.replace(/\/$/, '');
  }
  const connect = { ...(o.insecure ? { rejectUnauthorized: false } : {}), ...(hosts ? { lookup: hostsLookup(hosts) } : {}) };
  return { target: url, ...(hosts ? { hosts } : {}), ...(Object.keys(connect).length ? { dispatcher: new Agent({ connect }) } : {}) };
}
