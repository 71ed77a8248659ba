import type { VU } from 'capacity-test';
import { parseUsersFile, type User } from '../../src/data/users.js';
import type { LaunchDayPlan } from '../../src/profile/index.js';
import { journeyConfig, probeTarget, fetchGetter, type Env } from './config.js';
import { engineToolkit, readText, vuGetter } from './engine.js';
import { JOURNEY_FUNCTIONS, Pools, type JourneyConfig, type JourneyName, type SharedData } from './journeys.js';

/**
 * Everything a launch-day-style scenario needs once per worker: the journey config, the users file
 * (DATA_FILE, loaded once and shared by every VU of the worker), the pools, and the exec functions.
 */
export function citizens(plan: Pick<LaunchDayPlan, 'profile' | 'timeScale'>, env: Env) {
  const cfg: JourneyConfig = journeyConfig(plan.profile, plan.timeScale, env);
  const users: User[] | undefined = env.DATA_FILE ? parseUsersFile(readText(env.DATA_FILE)).users : undefined;
  const pools = new Pools();
  const tk = engineToolkit();
  const shared = (data: unknown): SharedData => ({ ...(data as SharedData | undefined), users });
  const exec = (name: JourneyName) => async (vu: VU, data: unknown) => { await JOURNEY_FUNCTIONS[name](vu, tk, cfg, shared(data), pools); };
  return {
    cfg,
    setup: async (vu?: VU) => probeTarget(cfg.target, vuGetter(vu) ?? fetchGetter()),
    newUser: exec('newUser'),
    returningUser: exec('returningUser'),
    statusChecker: exec('statusChecker'),
    browser: exec('browser'),
  };
}
