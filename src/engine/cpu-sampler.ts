/**
 * Generator CPU: % of one core used by this whole process (all threads) in each second of the run,
 * sampled near the end of each second so every second gets exactly one value.
 */
import { performance } from 'node:perf_hooks';

export class CpuSampler {
  private prev = process.cpuUsage();
  private at = performance.now();
  private second = 0;
  private timer: NodeJS.Timeout | undefined;
  private reset: NodeJS.Timeout | undefined;

  /** `record(percent, epochMs)` gets one value per second from `startAt` on. */
  constructor(private readonly startAt: number, private readonly record: (percent: number, at: number) => void) {}

  start(): void {
    // The first second starts counting at the start, not during the warm-up.
    this.reset = setTimeout(() => { this.prev = process.cpuUsage(); this.at = performance.now(); }, Math.max(0, this.startAt - Date.now()));
    this.timer = setTimeout(() => this.sample(), Math.max(0, this.startAt + 990 - Date.now()));
  }

  private sample(): void {
    const now = performance.now();
    const used = process.cpuUsage(this.prev);
    this.prev = process.cpuUsage();
    const at = Date.now();
    if (at >= this.startAt) this.record(((used.user + used.system) / 1000 / Math.max(1, now - this.at)) * 100, at);
    this.at = now;
    this.second = Math.max(this.second + 1, Math.floor((at - this.startAt) / 1000) + 1);
    this.timer = setTimeout(() => this.sample(), Math.max(0, this.startAt + this.second * 1000 + 990 - Date.now()));
  }

  stop(): void {
    clearTimeout(this.timer);
    clearTimeout(this.reset);
  }
}
