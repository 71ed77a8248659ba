import { describe, expect, it } from 'vitest';
import { sizeServers } from '../../../src/analysis/sizing.js';
import { judgeFleet, verificationPlan, verificationVerdict, VERIFY_TARGET, type FleetMeasurement } from '../../../src/analysis/verification.js';

const SLO = { p95Ms: 800, errorRate: 0.01 };
const sizing = { peakDemandRps: 489.4, rateFactor: 0.8356, perInstanceRps: 125.7, maxWaitMs: 800, quantile: 0.95, headroom: 0.33 };

function fleet(over: Partial<FleetMeasurement> & { instances: number }): FleetMeasurement {
  return { offeredRps: 409, measuredRps: 405, p95Ms: 120, errorRate: 0, serverErrorShare: 0, droppedShare: 0, saturatedSeconds: 0, windowSeconds: 20, quotaUsedShare: 0.6, throttledShare: 0.1, ...over };
}

describe('verification plan', () => {
  it("verifies Erlang C's own fleet for the peak as the run offered it, and one fewer", () => {
    const p = verificationPlan(sizing);
    const predicted = 489.4 * 0.8356;
    expect(p.predictedRps).toBeCloseTo(predicted, 9);
    const s = sizeServers({ rate: predicted, serviceMs: 1000 / 125.7, maxWaitMs: 800, quantile: 0.95, headroom: 0.33 });
    expect(p.instances).toBe(s.servers);
    expect(p.instancesWithHeadroom).toBe(s.serversWithHeadroom);
    expect(p.fleets).toEqual([s.servers, s.servers - 1]);
    expect(p.modelCapacityRps).toBeCloseTo(s.servers * 125.7, 9);
  });

  it('measures one fleet when the prediction is one instance, and takes --instances over the sizing', () => {
    expect(verificationPlan({ ...sizing, peakDemandRps: 50, rateFactor: 1 }).fleets).toEqual([1]);
    expect(verificationPlan({ ...sizing, instances: 3 }).fleets).toEqual([3, 2]);
    expect(() => verificationPlan({ ...sizing, instances: 0 })).toThrow(/invalid --instances: expected an integer from 1 to 64, got 0/);
    expect(() => verificationPlan({ ...sizing, perInstanceRps: 0 })).toThrow(/invalid per-instance capacity/);
  });
});

describe('judging a fleet', () => {
  it('holds when the SLO is met, arrivals were not dropped and the predicted rate was served', () => {
    expect(judgeFleet(fleet({ instances: 4 }), 409, SLO)).toMatchObject({ held: true, reasons: [] });
  });

  it('names every reason it did not hold', () => {
    const j = judgeFleet(fleet({ instances: 3, p95Ms: 1200, errorRate: 0.05, droppedShare: 0.2, measuredRps: 200 }), 409, SLO);
    expect(j.held).toBe(false);
    expect(j.reasons).toEqual([
      "p95 1200 ms over the SLO's 800 ms", "errors 5% over the SLO's 1%",
      '20% of arrivals dropped (no free VU: answers too slow)', 'served 200 requests/s, under 85% of the predicted 409',
    ]);
    expect(judgeFleet(fleet({ instances: 3, measuredRps: 409 * (1 - VERIFY_TARGET) + 0.01 }), 409, SLO).held).toBe(true);
  });
});

describe('the verdict: which term of the model was wrong', () => {
  const plan = verificationPlan({ ...sizing, instances: 4 });
  const judged = (f: FleetMeasurement) => judgeFleet(f, plan.predictedRps, SLO);

  it('verifies when N held within ±15% and N − 1 did not', () => {
    const v = verificationVerdict({ plan, machineOvercommitted: false, fleets: [judged(fleet({ instances: 4 })), judged(fleet({ instances: 3, p95Ms: 2000 }))] });
    expect(v).toMatchObject({ finding: 'verified', wrongTerm: null, withinTarget: true });
    expect(v.deviation).toBeCloseTo((405 - plan.predictedRps) / plan.predictedRps, 12);
    expect(v.explanation).toMatch(/3 did not \(p95 2000 ms over/);
  });

  it("blames Erlang C's service time when N − 1 held too, with the per-instance rate it implies", () => {
    const v = verificationVerdict({ plan, machineOvercommitted: false, fleets: [judged(fleet({ instances: 4 })), judged(fleet({ instances: 3, measuredRps: 402 }))] });
    expect(v).toMatchObject({ finding: 'overProvisioned', wrongTerm: 'serviceTime', impliedPerInstanceRps: 134 });
  });

  it('blames the service time when N failed with its instances at their CPU quota', () => {
    const v = verificationVerdict({ plan, machineOvercommitted: false, fleets: [
      judged(fleet({ instances: 4, measuredRps: 300, p95Ms: 1500, quotaUsedShare: 0.97, throttledShare: 0.9 })),
      judged(fleet({ instances: 3, measuredRps: 230, p95Ms: 3000, quotaUsedShare: 0.98 })),
    ] });
    expect(v).toMatchObject({ finding: 'perInstanceSlower', wrongTerm: 'serviceTime', impliedPerInstanceRps: 75, withinTarget: false });
  });

  it("blames USL's κ when N failed with CPU to spare and N − 1 did better: the instances wait on the shared database", () => {
    const v = verificationVerdict({ plan, machineOvercommitted: false, fleets: [
      judged(fleet({ instances: 4, measuredRps: 250, errorRate: 0.3, quotaUsedShare: 0.2, throttledShare: 0 })),
      judged(fleet({ instances: 3, measuredRps: 330, errorRate: 0.02, quotaUsedShare: 0.3, throttledShare: 0 })),
    ] });
    expect(v.finding).toBe('sharedDatabase');
    expect(v.wrongTerm).toBe('kappa');
    // X(4) = 4·μ / (1 + κ·4·3) with μ = 125.7 → κ = (4·125.7 / 250 − 1) / 12
    expect(v.impliedKappa).toBeCloseTo((4 * 125.7 / 250 - 1) / 12, 12);
    expect(v.explanation).toMatch(/where 3 did better \(330 requests\/s\)/);
  });

  it('blames κ when several instances answer errors from inside (the shared file: "database is locked") that one alone did not, however busy the machine', () => {
    const two = verificationPlan({ ...sizing, instances: 2 });
    const j = (f: FleetMeasurement) => judgeFleet(f, two.predictedRps, SLO);
    const v = verificationVerdict({ plan: two, machineOvercommitted: false, machineBusy: true, fleets: [
      j(fleet({ instances: 2, measuredRps: 330, errorRate: 0.05, serverErrorShare: 0.03, quotaUsedShare: 0.3 })),
      j(fleet({ instances: 1, measuredRps: 409, errorRate: 0, serverErrorShare: 0 })),
    ] });
    expect(v).toMatchObject({ finding: 'sharedDatabase', wrongTerm: 'kappa' });
    expect(v.explanation).toMatch(/3% of their answers errors inside the portal/);
    // the same errors from one instance alone are not the sharing's
    const same = verificationVerdict({ plan: two, machineOvercommitted: false, fleets: [
      j(fleet({ instances: 2, measuredRps: 330, errorRate: 0.05, serverErrorShare: 0.03, quotaUsedShare: 0.95 })),
      j(fleet({ instances: 1, measuredRps: 200, errorRate: 0.05, serverErrorShare: 0.03, quotaUsedShare: 0.97 })),
    ] });
    expect(same.finding).toBe('perInstanceSlower');
  });

  it('says nothing about the model when the generator fell behind or the machine had no room for the quotas', () => {
    const behind = verificationVerdict({ plan, machineOvercommitted: false, fleets: [judged(fleet({ instances: 4, measuredRps: 200, saturatedSeconds: 8 })), judged(fleet({ instances: 3, p95Ms: 2000 }))] });
    expect(behind).toMatchObject({ finding: 'inconclusive', wrongTerm: null });
    const machine = verificationVerdict({ plan, machineOvercommitted: true, fleets: [judged(fleet({ instances: 4, measuredRps: 200, quotaUsedShare: 0.1 })), judged(fleet({ instances: 3, p95Ms: 2000 }))] });
    expect(machine).toMatchObject({ finding: 'inconclusive', wrongTerm: null });
    expect(machine.explanation).toMatch(/more than this machine's free cores: the machine, not the model/);
    const busy = verificationVerdict({ plan, machineOvercommitted: false, machineBusy: true, fleets: [judged(fleet({ instances: 4, measuredRps: 200, quotaUsedShare: 0.1 })), judged(fleet({ instances: 3, p95Ms: 2000 }))] });
    expect(busy).toMatchObject({ finding: 'inconclusive', wrongTerm: null });
    expect(busy.explanation).toMatch(/other work kept the machine busier than its cores/);
    // at its quota, a failing fleet is the model's failure however busy the machine
    const atQuota = verificationVerdict({ plan, machineOvercommitted: false, machineBusy: true, fleets: [judged(fleet({ instances: 4, measuredRps: 200, quotaUsedShare: 0.95 })), judged(fleet({ instances: 3, p95Ms: 2000 }))] });
    expect(atQuota.finding).toBe('perInstanceSlower');
  });

  it('refuses a verdict without a measurement of N', () => {
    expect(() => verificationVerdict({ plan, machineOvercommitted: false, fleets: [judged(fleet({ instances: 3 }))] })).toThrow(/invalid fleets: expected a measurement of 4 instances, got \[3\]/);
  });
});
