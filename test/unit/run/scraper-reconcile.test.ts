import { describe, expect, it } from 'vitest';
import { ServerScraper } from '../../../src/run/scraper.js';

describe('the money chart and the headline read one last reconcile', () => {
  it('ends the reconcile timeline with the reconcile taken at stop, so the chart\'s last stuck-debit count is the headline\'s', async () => {
    let now = 5_000_000;
    let calls = 0;
    // a portal whose stuck debits keep growing while the run drains: each reconcile finds one more
    const fetchFn = (async (url: URL | string) => {
      const path = new URL(String(url)).pathname;
      if (path === '/admin/reconcile') return new Response(JSON.stringify({ walletDiscrepancyPaise: 0, stuckDebits: ++calls }));
      if (path === '/api/v1/clock') return new Response(JSON.stringify({ time: '09:00:00' }));
      return new Response('# no metrics\n');
    }) as typeof fetch;
    const scraper = new ServerScraper({ target: 'http://127.0.0.1:1', adminToken: 'x', reconcileEvery: 5, fetchFn, now: () => now });
    for (let tick = 0; tick < 7; tick++) { await scraper.tick(); now += 1000; }
    const file = await scraper.stop(5_000_000);
    const last = file.reconcileTimeline[file.reconcileTimeline.length - 1];
    expect(file.reconcile).not.toBeNull();
    expect(last.result).toEqual(file.reconcile);
    expect(last.t).toBe(7);
    // the samples taken during the run are still there, before it
    expect(file.reconcileTimeline.length).toBeGreaterThanOrEqual(3);
    expect((file.reconcileTimeline[0].result as { stuckDebits: number }).stuckDebits).toBeLessThan((file.reconcile as { stuckDebits: number }).stuckDebits);
  });
});
