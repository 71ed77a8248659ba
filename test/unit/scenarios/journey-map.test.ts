import { describe, expect, it } from 'vitest';
import { driveJourneys } from '../../../scenarios/lib/journey-map.js';
import { launchDayPlan } from '../../../src/profile/index.js';

const plan = launchDayPlan({ quick: true });
const fn = () => undefined;

describe('launch-day --scenario: model journeys onto a scenario\'s exports', () => {
  it('a single journey receives every journey\'s arrivals (the whole curve)', () => {
    const d = driveJourneys(plan.options, { bookAppointment: fn, default: fn, options: {} });
    expect(Object.keys(d.options.scenarios!)).toEqual(Object.keys(plan.options.scenarios!));
    expect(Object.values(d.functions)).toEqual([fn, fn, fn, fn]);
  });
  it('by name and alias; journeys the scenario lacks are not run; portal endpoint thresholds dropped', () => {
    const other = () => undefined;
    const d = driveJourneys(plan.options, { newUser: fn, browse: other });
    expect(d.mapping).toEqual(['newUser → newUser', 'returningUser → (none: not run)', 'statusChecker → (none: not run)', 'browser → browse']);
    expect(Object.values(d.options.scenarios!).map((s) => s.exec).sort()).toEqual(['browser', 'newUser']);
    expect(Object.keys(d.options.thresholds!).some((k) => k.includes('{name:'))).toBe(false);
  });
  it('a journeys: map names the functions, and a name the scenario does not export is refused', () => {
    const d = driveJourneys(plan.options, { signUpAndBook: fn, look: fn }, { newUser: 'signUpAndBook', browser: 'look' });
    expect(d.mapping[0]).toBe('newUser → signUpAndBook');
    expect(() => driveJourneys(plan.options, { a: fn }, { newUser: 'nope' })).toThrow(/invalid journeys.newUser in the profile: expected a function the scenario exports \(a\), got "nope"/);
  });
});
