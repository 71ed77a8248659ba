/**
 * A small network of this machine's own test hosts: a hub network namespace holding a bridge, and one
 * namespace per runner joined to it by a veth pair, each with its own address on a /24 that exists only
 * inside these namespaces (nothing is added to the host's own network). Root is required; names carry
 * a unique prefix, and `destroy()` (also run on exit) deletes every namespace made, which removes the
 * veth pairs and the bridge with them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { EnvironmentError } from '../contracts/errors.js';

export interface NetnsHost {
  ns: string;
  ip: string;
}

export interface NetnsLab {
  prefix: string;
  hub: NetnsHost;
  runners: NetnsHost[];
  destroy(): void;
}

/** Refuse clearly when this process cannot make namespaces. */
export function requireNetnsPrivileges(what: string): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new EnvironmentError(`${what} needs root: it makes network namespaces, veth pairs and a bridge (ip netns); run it as root or with sudo`);
  }
  if (spawnSync('ip', ['-V'], { stdio: 'ignore' }).status !== 0) {
    throw new EnvironmentError(`${what} needs the ip command (Debian package iproute2: apt-get install iproute2)`);
  }
}

function ip(args: string[]): void {
  try {
    execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new EnvironmentError(`ip ${args.join(' ')} failed: ${e.stderr?.toString().trim() || e.message}`);
  }
}

/** Every namespace whose name starts with `prefix` (left by a process that died before its clean-up). */
export function namespacesWithPrefix(prefix: string): string[] {
  const out = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  return out.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((n) => n && n.startsWith(prefix));
}

export function createLab(runners: number, prefixBase = 'ctk8s'): NetnsLab {
  const prefix = `${prefixBase}-${randomBytes(3).toString('hex')}-`;
  const made: string[] = [];
  const net = `10.${randomInt(100, 250)}.${randomInt(0, 256)}`;
  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    process.off('exit', destroy);
    for (const ns of made.reverse()) spawnSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
  };
  process.on('exit', destroy);
  try {
    const hub: NetnsHost = { ns: `${prefix}hub`, ip: `${net}.1` };
    ip(['netns', 'add', hub.ns]); made.push(hub.ns);
    ip(['-n', hub.ns, 'link', 'set', 'lo', 'up']);
    ip(['-n', hub.ns, 'link', 'add', 'br0', 'type', 'bridge']);
    ip(['-n', hub.ns, 'addr', 'add', `${hub.ip}/24`, 'dev', 'br0']);
    ip(['-n', hub.ns, 'link', 'set', 'br0', 'up']);
    const hosts: NetnsHost[] = [];
    for (let i = 0; i < runners; i++) {
      const host: NetnsHost = { ns: `${prefix}r${i}`, ip: `${net}.${i + 2}` };
      ip(['netns', 'add', host.ns]); made.push(host.ns);
      ip(['-n', host.ns, 'link', 'set', 'lo', 'up']);
      // the pair is made in the hub; its far end moves into the runner's namespace as eth0
      ip(['-n', hub.ns, 'link', 'add', `v${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.ns]);
      ip(['-n', hub.ns, 'link', 'set', `v${i}`, 'master', 'br0']);
      ip(['-n', hub.ns, 'link', 'set', `v${i}`, 'up']);
      ip(['-n', host.ns, 'addr', 'add', `${host.ip}/24`, 'dev', 'eth0']);
      ip(['-n', host.ns, 'link', 'set', 'eth0', 'up']);
      hosts.push(host);
    }
    return { prefix, hub, runners: hosts, destroy };
  } catch (err) {
    destroy();
    throw err;
  }
}
