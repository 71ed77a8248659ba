/**
 * launch-day --scenario FILE: a driver scenario, written beside nothing of the user's, that imports
 * the user's file and lets the traffic model's arrival curves run its exported journeys
 * (scenarios/lib/journey-map.ts says how they are matched). The user's think time is compressed with
 * the day: THINK_SCALE = 1 / time scale.
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { invalid } from '../contracts/errors.js';

export function writeDriver(userScenario: string, scenariosDir: string): { file: string; cleanup(): void } {
  const user = resolve(userScenario);
  if (!existsSync(user)) throw invalid('--scenario', 'a scenario file (.ts or .js)', userScenario);
  const dir = mkdtempSync(join(tmpdir(), 'capacity-test-driver-'));
  const lib = (f: string) => JSON.stringify(join(scenariosDir, 'lib', f));
  const file = join(dir, 'launch-day-driver.ts');
  writeFileSync(file, [
    `import * as user from ${JSON.stringify(user)};`,
    `import { planFromEnv } from ${lib('config.ts')};`,
    `import { readText, scenarioEnv } from ${lib('engine.ts')};`,
    `import { driveJourneys } from ${lib('journey-map.ts')};`,
    `import { parseProfileText } from ${JSON.stringify(join(scenariosDir, '..', 'src', 'profile', 'text.ts'))};`,
    'const env = scenarioEnv();',
    'export const plan = planFromEnv(env, readText);',
    'const map = env.PROFILE_FILE ? parseProfileText(readText(env.PROFILE_FILE), env.PROFILE_FILE).journeys : undefined;',
    'const driven = driveJourneys(plan.options, user as Record<string, unknown>, map);',
    'export const options = { ...driven.options, description: `${plan.description}; journeys: ${driven.mapping.join(", ")}` };',
    'const u = user as Record<string, any>;',
    'export const setup = u.setup;',
    'export const teardown = u.teardown;',
    'export const { newUser, returningUser, statusChecker, browser } = driven.functions;',
    '',
  ].join('\n'));
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
