/**
 * Executors with k6's meanings, each running one stripe (this worker's share of this segment).
 * Open model (arrival-rate): an iteration starts on schedule or is dropped and counted, never
 * delayed. Every scenario ends by its start + duration + gracefulStop: what still runs then is
 * interrupted (not counted as an iteration).
 */
import type { Series } from '../metrics/index.js';
import type { ArrivalScenario, IterationsScenario, ResolvedScenario, VusScenario } from './options.js';
import { ArrivalSchedule, share, vusAt } from './plan.js';
import { epochNow, VuImpl, type Runtime, type ScenarioContext } from './runtime.js';

export type IterationFn = (vu: VuImpl, data: unknown) => unknown;

export interface Stripe {
  /** this stripe's index and the number of stripes (segments × workers) */
  s: number;
  n: number;
  /** allocates VU ids unique across the test */
  nextVuId: () => number;
}

export abstract class Runner {
  readonly ctx: ScenarioContext;
  readonly startAbs: number;
  readonly endAbs: number;
  hardEndAbs: number;
  stopping = false;
  protected schedulingDone = false;
  protected started = false;
  private finishedFlag = false;
  private hardTimer: NodeJS.Timeout | undefined;
  private startTimer: NodeJS.Timeout | undefined;
  private resolveFinished!: () => void;
  readonly finished = new Promise<void>((r) => { this.resolveFinished = r; });
  /** iterations running now */
  active = 0;
  /** VUs allocated */
  readonly vus: VuImpl[] = [];
  private readonly iterations: Series;
  private readonly iterationDuration: Series;

  constructor(readonly rt: Runtime, readonly sc: ResolvedScenario, readonly fn: IterationFn, readonly data: unknown,
              readonly stripe: Stripe, startAt: number, globalEnv: Record<string, string>) {
    const baseTags = { scenario: sc.name, ...sc.tags };
    this.ctx = { name: sc.name, baseTags, env: { ...globalEnv, ...sc.env }, executor: sc.executor };
    this.startAbs = startAt + sc.startTimeMs;
    this.endAbs = this.startAbs + sc.durationMs;
    this.hardEndAbs = this.endAbs + sc.gracefulStopMs;
    this.iterations = rt.recorder.get('iterations', 'counter', baseTags);
    this.iterationDuration = rt.recorder.get('iteration_duration', 'trend', baseTags);
  }

  /** Arm the start and the hard end; resolves `finished` when done. */
  arm(): void {
    const now = epochNow();
    this.startTimer = setTimeout(() => {
      if (this.stopping) { this.schedulingDone = true; this.checkDone(); return; }
      this.started = true;
      this.begin();
    }, Math.max(0, this.startAbs - now));
    this.armHardEnd();
  }

  private armHardEnd(): void {
    clearTimeout(this.hardTimer);
    this.hardTimer = setTimeout(() => this.interruptAll(), Math.max(0, this.hardEndAbs - epochNow()));
  }

  /** Stop starting iterations; what runs may finish within `graceMs`. */
  stop(graceMs: number): void {
    this.stopping = true;
    this.hardEndAbs = Math.min(this.hardEndAbs, epochNow() + graceMs);
    this.armHardEnd();
    if (!this.started) { clearTimeout(this.startTimer); this.schedulingDone = true; }
    this.onStop();
    this.checkDone();
  }

  protected onStop(): void { /* executors with timers clear them */ }

  /** Start whatever is overdue now (arrival-rate: arrivals whose time has passed while the thread was busy). */
  catchUp(): void { /* only schedules of arrivals have anything overdue */ }
  protected abstract begin(): void;

  protected newVu(): VuImpl {
    const vu = new VuImpl(this.rt, this.ctx, this.stripe.nextVuId(), this.rt.worker);
    this.vus.push(vu);
    return vu;
  }

  /** Run one iteration on `vu`; resolves false when it was interrupted. */
  protected runIteration(vu: VuImpl): Promise<boolean> {
    return new Promise<boolean>((resolve) => this.startIteration(vu, (_vu, completed) => resolve(completed)));
  }

  /**
   * Start one iteration on `vu`; `then(vu, completed)` once it has ended (completed false: it was
   * interrupted, and its result is ignored). The arrival path calls this directly: no promise and no
   * async frame of its own beside the scenario's (two promises and a closure fewer an arrival, each
   * promise also a call of AsyncLocalStorage's hook). A synchronous scenario function ends at once.
   */
  protected startIteration(vu: VuImpl, then: (vu: VuImpl, completed: boolean) => void): void {
    const token = { interrupted: false };
    vu.token = token;
    vu.busy = true;
    this.active += 1;
    const t0 = epochNow();
    let result: unknown;
    try {
      result = this.rt.runAs(vu, '', () => this.fn(vu, this.data));
    } catch (err) {
      this.failed(token, err);
      this.ended(vu, token, t0, then);
      return;
    }
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then(() => this.ended(vu, token, t0, then), (err: unknown) => { this.failed(token, err); this.ended(vu, token, t0, then); });
    } else this.ended(vu, token, t0, then);
  }

  private failed(token: { interrupted: boolean }, err: unknown): void {
    if (!token.interrupted) this.rt.recordError(err);
  }

  private ended(vu: VuImpl, token: { interrupted: boolean }, t0: number, then: (vu: VuImpl, completed: boolean) => void): void {
    if (token.interrupted) { then(vu, false); return; }
    vu.busy = false;
    vu.token = null;
    vu.iteration += 1;
    this.active -= 1;
    if (!this.rt.stopped) {
      const now = epochNow();
      this.iterations.add(1, now);
      this.iterationDuration.add(now - t0, now);
    }
    this.checkDone();
    then(vu, true);
  }

  /** Interrupt the iteration running on `vu` (its result is ignored; the VU is not reused). */
  protected interrupt(vu: VuImpl): void {
    if (!vu.busy || !vu.token) return;
    vu.token.interrupted = true;
    vu.busy = false;
    vu.token = null;
    this.active -= 1;
  }

  private interruptAll(): void {
    this.stopping = true;
    this.schedulingDone = true;
    this.onStop();
    for (const vu of this.vus) this.interrupt(vu);
    this.checkDone();
  }

  protected checkDone(): void {
    if (this.finishedFlag || !this.schedulingDone || this.active > 0) return;
    this.finishedFlag = true;
    clearTimeout(this.hardTimer);
    this.resolveFinished();
  }

  /** VUs running an iteration now (arrival-rate) or looping (VU executors), for the `vus` gauge. */
  activeVus(): number { return this.active; }
}

export class ArrivalRunner extends Runner {
  private readonly schedule: ArrivalSchedule;
  private readonly free: VuImpl[] = [];
  private maxVus = 0;
  private k: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly planned: Series;
  private readonly dropped: Series;
  private readonly lag: Series;

  constructor(rt: Runtime, readonly asc: ArrivalScenario, fn: IterationFn, data: unknown, stripe: Stripe, startAt: number, env: Record<string, string>) {
    super(rt, asc, fn, data, stripe, startAt, env);
    this.schedule = new ArrivalSchedule(asc.segments);
    this.k = stripe.s;
    const tags = this.ctx.baseTags;
    this.planned = rt.recorder.get('planned_iterations', 'counter', tags);
    this.dropped = rt.recorder.get('dropped_iterations', 'counter', tags);
    this.lag = rt.recorder.get('schedule_lag', 'trend', tags);
    // Pre-allocation happens before the start, as in k6.
    const pre = share(asc.preAllocatedVUs, stripe.s, stripe.n);
    this.maxVus = share(asc.maxVUs, stripe.s, stripe.n);
    for (let i = 0; i < pre; i++) this.free.push(this.newVu());
  }

  protected begin(): void { this.tick(); }

  protected override onStop(): void { clearTimeout(this.timer); this.schedulingDone = true; }

  /**
   * Before a second is drained: a thread frozen past the second's end comes back with the drain's
   * timer and this runner's due together, and the drain may run first; the arrivals due in that
   * second start now, so their lag is in the second's window when it is drained.
   */
  override catchUp(): void {
    if (!this.started || this.stopping || this.schedulingDone) return;
    clearTimeout(this.timer);
    this.tick();
  }

  /** Start every due arrival of this stripe, then sleep until the next one. */
  private tick(): void {
    if (this.stopping) { this.schedulingDone = true; this.checkDone(); return; }
    const now = epochNow();
    const total = this.schedule.total;
    const step = this.stripe.n;
    let next = Infinity;
    while (this.k < total) {
      const planned = this.startAbs + this.schedule.timeOf(this.k);
      if (planned > now) { next = planned; break; }
      this.fire(this.k, planned, now);
      this.k += step;
    }
    if (this.k >= total) { this.schedulingDone = true; this.checkDone(); return; }
    this.timer = setTimeout(() => this.tick(), Math.max(0, next - epochNow()));
  }

  private fire(k: number, planned: number, now: number): void {
    this.planned.add(1, planned);
    let vu = this.free.pop();
    if (!vu && this.vus.length < this.maxVus) vu = this.newVu();
    if (!vu) { this.dropped.add(1, planned); return; }
    // charged to the second the arrival was due in: a generator frozen in second 3 shows its lag in
    // second 3, not in the second it recovered in (issue 15)
    this.lag.add(now - planned, planned);
    vu.iterationInTest = k;
    this.startIteration(vu, this.release);
  }

  /** An iteration ended: its VU is free again, unless the iteration was interrupted. */
  private readonly release = (vu: VuImpl, completed: boolean): void => { if (completed) this.free.push(vu); };
}

export class VusRunner extends Runner {
  private readonly running: VuImpl[] = [];
  private readonly idle: VuImpl[] = [];
  private timer: NodeJS.Timeout | undefined;
  private loops = 0;
  private localIteration = 0;

  constructor(rt: Runtime, readonly vsc: VusScenario, fn: IterationFn, data: unknown, stripe: Stripe, startAt: number, env: Record<string, string>) {
    super(rt, vsc, fn, data, stripe, startAt, env);
  }

  protected begin(): void {
    this.control();
    const ramping = this.vsc.stages.some((st) => st.target !== this.vsc.startVUs);
    // A constant plan needs one more look at its end; a ramp is followed every 50 ms.
    this.timer = ramping ? setInterval(() => this.control(), 50) : setTimeout(() => this.control(), Math.max(0, this.endAbs - epochNow()));
  }

  protected override onStop(): void {
    clearInterval(this.timer);
    clearTimeout(this.timer);
    for (const vu of this.running) vu.retiring = true;
    this.schedulingDone = this.loops === 0 || this.schedulingDone;
  }

  private control(): void {
    const now = epochNow();
    const t = now - this.startAbs;
    if (t >= this.vsc.durationMs || this.stopping) {
      clearInterval(this.timer);
      clearTimeout(this.timer);
      // End of the stages: VUs finish the iteration they are in, within gracefulStop (the hard end).
      for (const vu of this.running) vu.retiring = true;
      this.running.length = 0;
      if (this.loops === 0) { this.schedulingDone = true; this.checkDone(); }
      return;
    }
    const target = share(vusAt(this.vsc.startVUs, this.vsc.stages, t), this.stripe.s, this.stripe.n);
    while (this.running.length < target) this.startVu();
    while (this.running.length > target) this.retire(this.running.pop()!, now + this.vsc.gracefulRampDownMs);
  }

  private startVu(): void {
    const vu = this.idle.pop() ?? this.newVu();
    vu.retiring = false;
    this.running.push(vu);
    this.loops += 1;
    void this.loop(vu);
  }

  private retire(vu: VuImpl, deadline: number): void {
    vu.retiring = true;
    if (!vu.busy) return;
    const token = vu.token;
    setTimeout(() => {
      if (vu.token !== token || !vu.busy) return;
      // gracefulRampDown is over: cut the iteration; its loop never resumes, so end it here.
      this.interrupt(vu);
      this.loopEnded();
    }, Math.max(0, deadline - epochNow()));
  }

  private loopEnded(): void {
    this.loops -= 1;
    if (this.loops === 0 && (this.stopping || epochNow() >= this.endAbs)) this.schedulingDone = true;
    this.checkDone();
  }

  private async loop(vu: VuImpl): Promise<void> {
    while (!vu.retiring && !this.stopping && epochNow() < this.endAbs) {
      vu.iterationInTest = this.localIteration++ * this.stripe.n + this.stripe.s;
      // interrupted: whoever interrupted it accounts for this loop
      if (!(await this.runIteration(vu))) return;
    }
    this.idle.push(vu);
    this.loopEnded();
  }

  override activeVus(): number { return this.loops; }
}

export class IterationsRunner extends Runner {
  private loops = 0;
  private remaining = 0;
  private localIteration = 0;

  constructor(rt: Runtime, readonly isc: IterationsScenario, fn: IterationFn, data: unknown, stripe: Stripe, startAt: number, env: Record<string, string>) {
    super(rt, isc, fn, data, stripe, startAt, env);
  }

  protected begin(): void {
    const { s, n } = this.stripe;
    const vus = share(this.isc.vus, s, n);
    if (this.isc.kind === 'shared') {
      // Iterations follow the VUs: stripe s gets the iterations of its VUs' share of the total.
      const before = Math.floor((this.isc.vus * s) / n);
      const upto = before + vus;
      this.remaining = Math.floor((this.isc.iterations * upto) / this.isc.vus) - Math.floor((this.isc.iterations * before) / this.isc.vus);
    }
    for (let i = 0; i < vus; i++) { this.loops += 1; void this.loop(this.newVu()); }
    if (this.loops === 0) { this.schedulingDone = true; this.checkDone(); }
  }

  private next(vu: VuImpl): boolean {
    if (this.stopping || epochNow() >= this.endAbs) return false;
    if (this.isc.kind === 'shared') {
      if (this.remaining <= 0) return false;
      this.remaining -= 1;
      return true;
    }
    return vu.iteration < this.isc.iterations;
  }

  private async loop(vu: VuImpl): Promise<void> {
    while (this.next(vu)) {
      vu.iterationInTest = this.localIteration++ * this.stripe.n + this.stripe.s;
      if (!(await this.runIteration(vu))) break;
    }
    this.loops -= 1;
    if (this.loops === 0) this.schedulingDone = true;
    this.checkDone();
  }

  override activeVus(): number { return this.loops; }
}

export function createRunner(rt: Runtime, sc: ResolvedScenario, fn: IterationFn, data: unknown, stripe: Stripe, startAt: number, env: Record<string, string>): Runner {
  switch (sc.kind) {
    case 'arrival': return new ArrivalRunner(rt, sc, fn, data, stripe, startAt, env);
    case 'vus': return new VusRunner(rt, sc, fn, data, stripe, startAt, env);
    default: return new IterationsRunner(rt, sc, fn, data, stripe, startAt, env);
  }
}
