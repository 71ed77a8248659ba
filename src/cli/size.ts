import { Command } from 'commander';
import { sizeServers } from '../analysis/sizing.js';
import { whatIf } from '../analysis/whatif.js';
import { invalid, UsageError } from '../contracts/errors.js';
import { numberFlag } from './numbers.js';

interface SizeFlags {
  rate: number; serviceMs: number; maxWaitMs: number; quantile: number; headroom?: number;
  instances?: number; admitRate?: number; callsPerPerson: number;
}

/**
 * `capacity-test size`: Erlang C (M/M/c) smallest server count whose queueing wait exceeds T with
 * probability ≤ 1 − Q. Prints {servers, pWait, pExceed, utilization} and, apart, the headroom fields.
 * With a fleet (`--instances`) or a waiting room's admission rate (`--admit-rate`), also what the first
 * hour does to the people arriving at --rate: the report's what-if panel's maths (src/analysis/whatif.ts).
 */
export function registerSize(program: Command): void {
  program.command('size')
    .description('Erlang C (M/M/c): smallest server count whose wait exceeds --max-wait-ms with probability <= 1 - quantile; with --instances or --admit-rate, the waiting room after the first hour')
    .requiredOption('--rate <R>', 'arrival rate, requests per second', numberFlag('--rate'))
    .requiredOption('--service-ms <S>', 'mean service time per request of one server, ms', numberFlag('--service-ms'))
    .requiredOption('--max-wait-ms <T>', 'queueing wait not to exceed, ms', numberFlag('--max-wait-ms'))
    .requiredOption('--quantile <Q>', 'share of requests that must wait at most T, e.g. 0.95', numberFlag('--quantile'))
    .option('--headroom <H>', 'extra capacity applied after, e.g. 0.33 (reported apart)', numberFlag('--headroom'))
    .option('--instances <N>', 'the fleet you plan to run: how long people wait, and how many are still queued after the first hour', numberFlag('--instances'))
    .option('--admit-rate <A>', 'a waiting room letting in A people per second: how long they wait, and how many are still queued after the first hour', numberFlag('--admit-rate'))
    .option('--calls-per-person <C>', 'requests one person makes (a registration: ~48), so that --rate becomes people per second', numberFlag('--calls-per-person'), 1)
    .addHelpText('after', '\nThe waiting room assumes --rate holds for the first hour; --instances admits the fleet\'s capacity kept below (1 + headroom).\nExit codes: 0 ok · 2 bad flag\n')
    .action((o: SizeFlags) => {
      const s = sizeServers({ rate: o.rate, serviceMs: o.serviceMs, maxWaitMs: o.maxWaitMs, quantile: o.quantile, headroom: o.headroom ?? 0 });
      const out: Record<string, unknown> = {
        servers: s.servers, pWait: s.pWait, pExceed: s.pExceed, utilization: s.utilization, offeredLoad: s.offeredLoad,
        headroom: s.headroom, serversWithHeadroom: s.serversWithHeadroom, utilizationWithHeadroom: s.utilizationWithHeadroom,
      };
      if (o.instances !== undefined && o.admitRate !== undefined) {
        throw new UsageError(`invalid --admit-rate: expected either --instances or --admit-rate (a fleet or a waiting room's rate), got both (--instances ${o.instances}, --admit-rate ${o.admitRate})`);
      }
      if (o.instances !== undefined && !(Number.isInteger(o.instances) && o.instances >= 1)) throw invalid('--instances', 'a whole number of instances >= 1', o.instances);
      if (o.admitRate !== undefined && !(o.admitRate > 0)) throw invalid('--admit-rate', 'people let in per second, > 0', o.admitRate);
      if (!(o.callsPerPerson > 0)) throw invalid('--calls-per-person', 'requests per person, > 0', o.callsPerPerson);
      if (o.instances !== undefined || o.admitRate !== undefined) {
        // the first hour at --rate, as the what-if panel computes it: one registration = calls-per-person requests
        const w = whatIf({
          registrationsPerDay: (o.rate / o.callsPerPerson) * 3600, firstHourShare: 1, headroom: o.headroom ?? 0,
          perInstanceRps: 1000 / o.serviceMs, callsPerRegistration: o.callsPerPerson, maxWaitMs: o.maxWaitMs, quantile: o.quantile,
          ...(o.instances !== undefined ? { instances: o.instances } : {}), ...(o.admitRate !== undefined ? { admitRatePerSecond: o.admitRate } : {}),
        });
        out.waitingRoom = {
          fleet: o.admitRate === undefined ? w.fleet : null,
          arrivalsPerSecond: w.peakRegistrationsPerSecond,
          admitRatePerSecond: w.admitRatePerSecond,
          queuedAfterFirstHour: w.longestQueue,
          longestWaitSeconds: w.longestWaitSeconds,
          utilization: o.admitRate === undefined ? w.utilization : null,
        };
      }
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    });
}
