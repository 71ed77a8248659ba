import { Command } from 'commander';
import { sizeServers } from '../analysis/sizing.js';
import { numberFlag } from './numbers.js';

/**
 * `capacity-test size`: Erlang C (M/M/c) smallest server count whose queueing wait exceeds T with
 * probability ≤ 1 − Q. Prints {servers, pWait, pExceed, utilization} and, apart, the headroom fields.
 */
export function registerSize(program: Command): void {
  program.command('size')
    .description('Erlang C (M/M/c): smallest server count whose wait exceeds --max-wait-ms with probability <= 1 - quantile')
    .requiredOption('--rate <R>', 'arrival rate, requests per second', numberFlag('--rate'))
    .requiredOption('--service-ms <S>', 'mean service time per request of one server, ms', numberFlag('--service-ms'))
    .requiredOption('--max-wait-ms <T>', 'queueing wait not to exceed, ms', numberFlag('--max-wait-ms'))
    .requiredOption('--quantile <Q>', 'share of requests that must wait at most T, e.g. 0.95', numberFlag('--quantile'))
    .option('--headroom <H>', 'extra capacity applied after, e.g. 0.33 (reported apart)', numberFlag('--headroom'))
    .action((o: { rate: number; serviceMs: number; maxWaitMs: number; quantile: number; headroom?: number }) => {
      const s = sizeServers({ rate: o.rate, serviceMs: o.serviceMs, maxWaitMs: o.maxWaitMs, quantile: o.quantile, headroom: o.headroom ?? 0 });
      process.stdout.write(JSON.stringify({
        servers: s.servers, pWait: s.pWait, pExceed: s.pExceed, utilization: s.utilization, offeredLoad: s.offeredLoad,
        headroom: s.headroom, serversWithHeadroom: s.serversWithHeadroom, utilizationWithHeadroom: s.utilizationWithHeadroom,
      }, null, 2) + '\n');
    });
}
