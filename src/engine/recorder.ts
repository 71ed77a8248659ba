/**
 * The worker's recorder: a WindowRecorder that drains a finished second a few series at a time,
 * yielding to the event loop between them. Encoding every histogram of a second in one go blocked
 * the worker ~6–20 ms each second on a busy core (measured), which showed up as schedule lag.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { WindowRecorder, type EncodedWindow, type MetricKind, type Series, type Tags } from '../metrics/index.js';

export class GentleRecorder extends WindowRecorder {
  private readonly ordered: Series[] = [];
  private readonly known = new Set<Series>();

  override get(metric: string, kind: MetricKind, tags: Tags = {}): Series {
    const s = super.get(metric, kind, tags);
    if (!this.known.has(s)) { this.known.add(s); this.ordered.push(s); }
    return s;
  }

  /**
   * Windows of every second before `beforeT`, at most ~`budgetMs` of work per event-loop turn.
   * One trend's encode alone takes ~0.5–1 ms once compiled: a 2 ms budget let 3–5 ms go by without
   * a timer turn each second (measured as schedule lag at 3,000/s), hence 0.5 ms.
   */
  async drainGently(beforeT: number, budgetMs = 0.5): Promise<EncodedWindow[]> {
    const out: EncodedWindow[] = [];
    let since = performance.now();
    for (const s of [...this.ordered]) {
      s.drain(beforeT, out);
      if (performance.now() - since > budgetMs) {
        await nextTurn();
        since = performance.now();
      }
    }
    return out;
  }
}
