import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../src/engine/options.js';
import { UsageError } from '../../../src/contracts/errors.js';

const fns = new Set(['default', 'citizen']);

describe('scenario options (k6 names)', () => {
  it('resolves k6 defaults: gracefulStop 30s, timeUnit 1s, maxVUs = preAllocatedVUs, exec default', () => {
    const r = resolveOptions({ scenarios: { a: { executor: 'constant-arrival-rate', rate: 5, duration: '10s', preAllocatedVUs: 3 } } }, fns);
    const a = r.scenarios[0];
    expect(a).toMatchObject({ kind: 'arrival', exec: 'default', gracefulStopMs: 30_000, maxVUs: 3, durationMs: 10_000 });
    expect(r.plannedDurationMs).toBe(10_000);
    expect(r.hardEndMs).toBe(40_000);
    expect(r.connectionsPerOrigin).toBe(1024);
  });

  it('puts test-wide tags under each scenario\'s own and reads discardResponseBodies', () => {
    const r = resolveOptions({ tags: { env: 'ci', team: 'a' }, discardResponseBodies: true,
      scenarios: { a: { executor: 'constant-vus', duration: '1s', tags: { team: 'b' } } } }, fns);
    expect(r.scenarios[0].tags).toEqual({ env: 'ci', team: 'b' });
    expect(r.discardResponseBodies).toBe(true);
  });

  it('plans the longest startTime + duration across several scenarios', () => {
    const r = resolveOptions({ scenarios: {
      a: { executor: 'constant-vus', vus: 2, duration: '5s' },
      b: { executor: 'ramping-vus', startTime: '3s', stages: [{ duration: '4s', target: 3 }], gracefulStop: '2s', exec: 'citizen' },
    } }, fns);
    expect(r.plannedDurationMs).toBe(7000);
    expect(r.hardEndMs).toBe(35_000);
  });

  it('expands the vus/duration/iterations shortcuts into one "default" scenario', () => {
    expect(resolveOptions({ vus: 3, duration: '2s' }, fns).scenarios[0]).toMatchObject({ name: 'default', executor: 'constant-vus', startVUs: 3 });
    expect(resolveOptions({ vus: 2, iterations: 10 }, fns).scenarios[0]).toMatchObject({ executor: 'shared-iterations', vus: 2, iterations: 10 });
    expect(resolveOptions(undefined, fns).scenarios[0]).toMatchObject({ executor: 'per-vu-iterations', vus: 1, iterations: 1 });
  });

  it('refuses an unknown executor, an unknown option and a missing exec, naming them', () => {
    expect(() => resolveOptions({ scenarios: { a: { executor: 'constant-arival-rate' } } }, fns)).toThrow(/executor of scenario "a".*constant-arival-rate/);
    expect(() => resolveOptions({ scenarios: { a: { executor: 'constant-vus', duration: '1s', rate: 3 } } }, fns)).toThrow(/"rate" is not an option of constant-vus/);
    expect(() => resolveOptions({ scenarios: { a: { executor: 'constant-vus', duration: '1s', exec: 'nope' } } }, fns)).toThrow(UsageError);
    expect(() => resolveOptions({ scenarios: { a: { executor: 'constant-vus', duration: 'ten' } } }, fns)).toThrow(/duration of scenario "a".*"ten"/);
  });
});
