/**
 * k6's `k6/execution`: who and where the running code is (vu, scenario, instance, test), and
 * test.abort(). Figures the engine does not keep per instance throw an error naming them,
 * never a made-up number.
 */
import type { Options } from '../../scenario-api/types.js';
import { currentVu, hooks, requireVu, threadStore } from './context.js';

interface EngineVu { id: number; iteration: number; iterationInTest: number; scenario: string; ctx?: { baseTags?: Record<string, string>; executor?: string } }

/** The script's options as the init context exported them (instance.ts sets them). */
export const scriptOptions = () => threadStore('options', () => ({ value: {} as Options }));

function vu(what: string): EngineVu {
  return requireVu(`k6/execution ${what}`) as unknown as EngineVu;
}

function unsupported(what: string): never {
  throw new Error(`k6/execution ${what} is not recorded by capacity-test's engine (see docs/k6.md)`);
}

export class AbortError extends Error {
  constructor(reason: string) {
    super(`test aborted: ${reason}`);
    this.name = 'TestAbortError';
  }
}

const execution = {
  vu: {
    get idInInstance() { return vu('vu.idInInstance').id; },
    get idInTest() { return vu('vu.idInTest').id; },
    get iterationInInstance() { return vu('vu.iterationInInstance').iteration; },
    get iterationInScenario() { return vu('vu.iterationInScenario').iteration; },
    get tags() { return { ...(vu('vu.tags').ctx?.baseTags ?? {}) }; },
    get metrics() { return { tags: { ...(vu('vu.metrics').ctx?.baseTags ?? {}) }, metadata: {} }; },
  },
  scenario: {
    get name() { return vu('scenario.name').scenario; },
    get executor() { return vu('scenario.executor').ctx?.executor ?? unsupported('scenario.executor'); },
    get iterationInInstance() { return vu('scenario.iterationInInstance').iterationInTest; },
    get iterationInTest() { return vu('scenario.iterationInTest').iterationInTest; },
    get startTime() { return unsupported('scenario.startTime'); },
    get progress() { return unsupported('scenario.progress'); },
  },
  instance: {
    get iterationsCompleted() { return unsupported('instance.iterationsCompleted'); },
    get iterationsInterrupted() { return unsupported('instance.iterationsInterrupted'); },
    get vusActive() { return unsupported('instance.vusActive'); },
    get vusInitialized() { return unsupported('instance.vusInitialized'); },
    get currentTestRunDuration() { return unsupported('instance.currentTestRunDuration'); },
  },
  test: {
    /** k6: stops the whole test now; the run exits 108 */
    abort(reason?: string): never {
      const why = reason === undefined ? 'test.abort() called' : String(reason);
      if (currentVu()) hooks()?.abort(why);
      throw new AbortError(why);
    },
    get options() { return scriptOptions().value; },
  },
};

export const vuInfo = execution.vu;
export { execution as default };
export const scenario = execution.scenario;
export const instance = execution.instance;
export const test = execution.test;
export { vuInfo as vu };
