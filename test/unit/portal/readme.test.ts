import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FaultsBody } from '../../../mock-portal/src/app.js';
import { resolveConfig } from '../../../mock-portal/src/config.js';
import { PORTAL_FLAGS } from '../../../mock-portal/src/flags.js';
import { GENERATED, readmeBlocks, rewriteReadme, type Block } from '../../../mock-portal/src/readme-tables.js';

const README = readFileSync(new URL('../../../mock-portal/README.md', import.meta.url), 'utf8');
const FIX = 'npx tsc -p tsconfig.json && node dist/mock-portal/src/readme-tables.js --write';

describe('mock-portal/README.md tells the truth about the code', () => {
  it.each(Object.keys(GENERATED) as Block[])('its %s table equals the one rendered from config.ts and flags.ts', (block) => {
    const inReadme = readmeBlocks(README)[block];
    expect(inReadme, `README has no generated:${block} block`).not.toBeNull();
    expect(inReadme, `README's ${block} table is stale: ${FIX}`).toBe(GENERATED[block]());
  });

  it('the rendered tables carry the configured figures (an independent spot check)', () => {
    const ab = resolveConfig({ mode: 'as-built' });
    const re = resolveConfig({ mode: 'resilient' });
    const modes = GENERATED.modes();
    expect(modes).toContain(`| ${ab.capacity.cpuMsPerRequest} ms sync per request, +${ab.capacity.cpuMsPerOrder} ms per order |`);
    expect(modes).toContain(`${re.admission.maxInFlight} API requests in flight`);
    expect(modes).toContain(`${re.server.maxConnectionsPerClient.toLocaleString('en-US')} connections per client address`);
    expect(GENERATED.shared()).toContain(`Raipur ${re.shopsPerDistrict.Raipur}`);
    for (const f of PORTAL_FLAGS) expect(GENERATED.flags()).toContain(`\`--${f.name}`);
  });

  it('rewriting leaves a fresh README unchanged', () => {
    expect(rewriteReadme(README)).toBe(README);
  });

  it('documents every injectable fault, crash included, with its flag', () => {
    for (const field of Object.keys(FaultsBody.shape)) expect(README).toContain(`| \`${field}`);
    for (const field of Object.keys(resolveConfig().faults)) expect(Object.keys(FaultsBody.shape)).toContain(field);
    for (const f of PORTAL_FLAGS.filter((x) => x.name.startsWith('fault-'))) expect(README).toContain(`| \`--${f.name}\` |`);
  });
});
