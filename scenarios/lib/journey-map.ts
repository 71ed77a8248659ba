/**
 * launch-day --scenario: the traffic model's journeys (new user, returning user, status checker,
 * browse-only) drive the functions a user's scenario exports. Each model journey takes the function
 * the profile's `journeys:` map names, else the export of its own name (browser: also `browse`,
 * `browseOnly`; statusChecker: also `status`, `checkStatus`); a scenario that exports a single journey
 * (its default function, or one function) receives the whole arrival curve. Thresholds filtered on
 * the reference portal's endpoint names are dropped: the user's endpoints have other names.
 */
import type { IterationFunction, Options } from 'capacity-test';
import { JOURNEYS, type Journey } from '../../src/profile/index.js';

const ALIASES: Record<Journey, string[]> = {
  newUser: ['newUser', 'newUsers', 'signUp', 'register'],
  returningUser: ['returningUser', 'returningUsers'],
  statusChecker: ['statusChecker', 'status', 'checkStatus'],
  browser: ['browser', 'browse', 'browseOnly'],
};
const NOT_JOURNEYS = new Set(['setup', 'teardown', 'handleSummary', 'options', 'default']);

export interface Driven {
  options: Options;
  /** model journey → the user's function it runs (absent: that journey's arrivals are not run) */
  functions: Partial<Record<Journey, IterationFunction>>;
  /** one line a journey, for the run's log */
  mapping: string[];
}

export function driveJourneys(planOptions: Options, user: Record<string, unknown>, map: Partial<Record<Journey, string>> = {}): Driven {
  const exported = Object.entries(user).filter(([k, v]) => typeof v === 'function' && !NOT_JOURNEYS.has(k) && !/^[A-Z]/.test(k));
  const byName = new Map(exported.map(([k, v]) => [k.toLowerCase(), [k, v as IterationFunction] as const]));
  for (const [j, name] of Object.entries(map)) {
    if (typeof user[name] !== 'function') throw new Error(`invalid journeys.${j} in the profile: expected a function the scenario exports (${exported.map(([k]) => k).join(', ') || 'none'}), got ${JSON.stringify(name)}`);
  }
  const single = exported.length === 1 ? exported[0] : typeof user.default === 'function' && exported.length === 0 ? ['default', user.default as IterationFunction] as const : undefined;
  const functions: Driven['functions'] = {};
  const mapping: string[] = [];
  for (const j of JOURNEYS) {
    const named = map[j] ?? ALIASES[j].find((a) => byName.has(a.toLowerCase()));
    const hit = named ? (map[j] ? [named, user[named] as IterationFunction] as const : byName.get(named.toLowerCase())) : single;
    if (hit) { functions[j] = hit[1] as IterationFunction; mapping.push(`${j} → ${hit[0]}`); } else mapping.push(`${j} → (none: not run)`);
  }
  if (Object.keys(functions).length === 0) {
    throw new Error(`invalid scenario for launch-day: expected exported journey functions named ${JOURNEYS.join(', ')}, a journeys: map in the profile, or a single journey; got ${exported.map(([k]) => k).join(', ') || 'no function'}`);
  }
  const scenarios = Object.fromEntries(Object.entries(planOptions.scenarios ?? {}).filter(([, sc]) => sc.exec !== undefined && functions[sc.exec as Journey] !== undefined));
  const thresholds = Object.fromEntries(Object.entries(planOptions.thresholds ?? {}).filter(([k]) => !k.includes('{name:')));
  return { options: { ...planOptions, scenarios, thresholds }, functions, mapping };
}
