/**
 * The engine's live view on a terminal: a listener of the engine's events (src/engine/events.ts), as
 * autocannon's progressTracker listens to its run. One line a second (rewritten in place on a TTY,
 * every 5 s otherwise), and a line of its own for each warning, saturated second, abort or stop.
 */
import type { EngineEvents, EngineObserver, ProgressSnapshot } from '../engine/index.js';

const fmt = (v: number | null, digits = 0) => (v === null ? '–' : v.toFixed(digits));

/** One human line per second. */
export function formatProgress(p: ProgressSnapshot): string {
  const arrivals = p.plannedArrivals > 0 ? ` arrivals ${p.startedArrivals}/${p.plannedArrivals}` : ` iterations ${p.iterations}`;
  return `[${String(p.elapsedSeconds).padStart(4)}s/${p.plannedSeconds}s]${arrivals}` +
    `${p.droppedIterations ? ` dropped ${p.droppedIterations}` : ''} vus ${p.vus} req/s ${p.rps} errors ${p.errors}` +
    ` p95(10s) ${fmt(p.p95Ms, 1)} ms cpu ${fmt(p.cpuPercent)}%${p.saturated ? ' GENERATOR SATURATED' : ''}`;
}

export interface PrinterOptions {
  /** where lines go (stderr by default) */
  log?: NodeJS.WritableStream & { isTTY?: boolean };
}

/** An observer for `runEngine({ observers })` printing the run's progress. */
export function consoleProgress(opts: PrinterOptions = {}): EngineObserver {
  return (events: EngineEvents) => {
    const log = opts.log ?? process.stderr;
    const tty = Boolean(log.isTTY);
    let lastLineLen = 0;
    // a line of its own: end the progress line being rewritten first
    const say = (line: string) => {
      if (tty && lastLineLen) { log.write('\n'); lastLineLen = 0; }
      log.write(line + '\n');
    };
    events.on('warning', (w) => say(`warning: ${w.message}`));
    events.on('saturation', (s) => say(s.saturated
      ? `warning: generator saturated in second ${s.second}: ${s.reason}; this second does not measure the target`
      : `warning: second ${s.second}: ${s.reason} (counted in dropped_iterations; raise maxVUs to offer the full load)`));
    events.on('second', (p) => {
      const line = formatProgress(p);
      if (tty) { log.write(`\r${line.padEnd(lastLineLen)}`); lastLineLen = line.length; }
      else if (p.second % 5 === 4 || p.second + 1 >= p.plannedSeconds) say(line);
    });
    events.on('blocked', (b) => say(`warning: second ${b.second}: requests waited up to ${Math.round(b.worstMs)} ms inside the generator before being sent, for one of the ${b.connectionsPerOrigin} connections per origin ` +
      `(http_req_blocked; http_req_duration leaves it out): the target saw them late; raise options.connectionsPerOrigin if users do not share connections`));
    events.on('stopping', (s) => {
      if (s.cause === 'threshold' || s.cause === 'test.abort') say(`aborting: ${s.reason}`);
      else say(`stopping: ${s.reason}; iterations in flight get ${s.graceMs / 1000} s (press Ctrl-C again to stop at once)`);
    });
    events.on('done', () => { if (tty && lastLineLen) { log.write('\n'); lastLineLen = 0; } });
  };
}
