import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parsePortalArgs, PORTAL_FLAGS_HELP } from '../../../mock-portal/src/cli-args.js';
import { resolveConfig } from '../../../mock-portal/src/config.js';
import { camelOf, PORTAL_FLAGS, portalArgv, type PortalFlag, type PortalFlagValues } from '../../../mock-portal/src/flags.js';
import { registerPortal } from '../../../src/cli/portal.js';

const table = PORTAL_FLAGS as readonly PortalFlag[];

/** A valid value of the flag that differs from its default, so reaching the config is visible. */
function sample(f: PortalFlag): string | number | boolean {
  const k = f.kind;
  switch (k.type) {
    case 'boolean': return true;
    case 'string': return `sample-${f.name}`;
    case 'choice': return k.choices.find((c) => c !== f.default)!;
    case 'clock': return '07:45';
    case 'number': return k.max ?? (k.int ? k.min + 3 : k.min + 2.5);
  }
}
const at = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((x, k) => (x as Record<string, unknown>)?.[k], o);

describe('the portal flag table', () => {
  it.each(table.map((f) => [f.name, f] as const))('--%s reaches the resolved config at its path', (_, f) => {
    const value = sample(f);
    const args = parsePortalArgs(portalArgv({ [camelOf(f.name)]: value } as PortalFlagValues), {});
    expect(at(args, f.to)).toBe(value);
    if (f.to.startsWith('config.')) expect(at(resolveConfig(args.config), f.to.slice('config.'.length))).toBe(value);
  });

  it('a flag not given takes the table default (admin token from its environment variable)', () => {
    const args = parsePortalArgs([], { PORTAL_ADMIN_TOKEN: 'env-token' });
    for (const f of table) {
      if (f.default !== undefined) expect(at(args, f.to)).toBe(f.default);
      if (f.env) expect(at(args, f.to)).toBe('env-token');
    }
    expect(args.config.testMode).toBe(false);
  });

  it('every flag is refused when given a bad value, naming it', () => {
    for (const f of table) {
      if (f.kind.type === 'boolean' || (f.kind.type === 'string' && !f.kind.nonEmpty)) continue;
      const bad = f.kind.type === 'string' ? '' : 'not-a-value';
      expect(() => parsePortalArgs([`--${f.name}`, bad], {})).toThrow(`invalid --${f.name}: expected `);
    }
  });

  it("the portal's own --help and `capacity-test portal` offer exactly the table's flags", () => {
    for (const f of table) expect(PORTAL_FLAGS_HELP).toContain(`--${f.name}`);
    const program = new Command();
    registerPortal(program);
    const portal = program.commands.find((c) => c.name() === 'portal')!;
    // the command's own flags, beyond the portal's: the fleet and the cgroup are the toolkit's business
    const commandOnly = new Set(['instances', 'cpu-share']);
    const options = portal.options.filter((o) => !commandOnly.has(o.long!.slice(2)));
    expect(options.map((o) => o.long!.slice(2))).toEqual(table.map((f) => f.name));
    // commander's attribute names are the keys portalArgv reads
    expect(options.map((o) => o.attributeName())).toEqual(table.map((f) => camelOf(f.name)));
  });

  it('typed values survive the trip through argv and back', () => {
    const values: PortalFlagValues = { port: 0, mode: 'as-built', testMode: true, clockSpeed: 30, dbQueryMs: 1.5, faultLatencyRoute: '/api/v1/orders' };
    const a = parsePortalArgs(portalArgv(values), {});
    expect(a.port).toBe(0);
    expect(a.config).toMatchObject({ mode: 'as-built', testMode: true, clockSpeed: 30, capacity: { dbQueryMs: 1.5 }, faults: { latencyRoute: '/api/v1/orders' } });
  });
});
