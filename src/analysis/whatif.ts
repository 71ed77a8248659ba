import { sizeServers } from './sizing.js';
import { nonNegative, openUnit, positive } from './validate.js';
import { invalid } from '../contracts/errors.js';

/**
 * The report's what-if panel (bundled into the HTML page with esbuild: imports nothing with I/O).
 * From a planner's figures — registrations per day, the share arriving in the first hour, headroom —
 * and two measured ones — one instance's capacity and API calls per registration — it answers: how many
 * instances, and, for a given fleet, what a waiting room would do in that first hour. Two demands, named
 * apart: the first hour's average (what the waiting room takes in) and the peak, the average times the
 * traffic model's peak factor — the peak is what sizes the fleet, as in the report's verdict, whose sizing
 * the panel's defaults are read from (src/report/verdict.ts), so both give one instance count.
 */
export interface WhatIfInput {
  registrationsPerDay: number;
  /** Share of the day's registrations in the first hour, e.g. 0.26. */
  firstHourShare: number;
  /** Extra capacity over the queueing answer, e.g. 0.33. */
  headroom: number;
  /** Measured capacity of one instance, requests per second. */
  perInstanceRps: number;
  /** API calls one registration makes (register, OTP, shops, order, …). */
  callsPerRegistration: number;
  /** Queueing wait allowed at `quantile`; default 1000 ms. */
  maxWaitMs?: number;
  /** Default 0.95. */
  quantile?: number;
  /** The fleet to evaluate for the waiting room; default the instances needed. */
  instances?: number;
  /** Peak demand ÷ first-hour average demand (the traffic model's peak minute against its first hour); default 1. */
  peakFactor?: number;
  /**
   * Registrations per second the waiting room lets in, when it is set directly (the portal's
   * `--admit-rate`) rather than derived from the fleet.
   */
  admitRatePerSecond?: number;
}

export interface WhatIfResult {
  /** the first hour's average, registrations and requests per second */
  firstHourRegistrationsPerSecond: number;
  firstHourAverageRps: number;
  /** the peak: the first-hour average × peakFactor; what the instances are sized for */
  peakRegistrationsPerSecond: number;
  peakDemandRps: number;
  /** Erlang C answer before headroom. */
  instancesWithoutHeadroom: number;
  /** The number to provision: with headroom. */
  instancesNeeded: number;
  fleet: number;
  /** Registrations per second the waiting room lets in: the fleet's capacity kept below (1 + headroom), or as given. */
  admitRatePerSecond: number;
  /** People waiting at the end of the first hour (0 when the fleet keeps up). */
  longestQueue: number;
  /** Wait of the last person to join that queue, seconds. */
  longestWaitSeconds: number;
  /** The first hour's average demand over the fleet's full capacity. */
  utilization: number;
}

export function whatIf(i: WhatIfInput): WhatIfResult {
  const perDay = positive('registrations per day', i.registrationsPerDay);
  const share = openUnitOrOne('first-hour share', i.firstHourShare);
  const headroom = nonNegative('headroom', i.headroom);
  const perInstanceRps = positive('per-instance capacity (rps)', i.perInstanceRps);
  const calls = positive('calls per registration', i.callsPerRegistration);
  const quantile = openUnit('quantile', i.quantile ?? 0.95);
  const maxWaitMs = nonNegative('max wait (ms)', i.maxWaitMs ?? 1000);

  const factor = positive('peak ÷ first-hour average', i.peakFactor ?? 1);
  const firstHourRegistrationsPerSecond = (perDay * share) / 3600;
  const firstHourAverageRps = firstHourRegistrationsPerSecond * calls;
  const peakRegistrationsPerSecond = firstHourRegistrationsPerSecond * factor;
  const peakDemandRps = firstHourAverageRps * factor;
  const sizing = sizeServers({ rate: peakDemandRps, serviceMs: 1000 / perInstanceRps, maxWaitMs, quantile, headroom });
  const fleet = i.instances === undefined ? sizing.serversWithHeadroom : fleetOf(i.instances);

  const admitRatePerSecond = i.admitRatePerSecond === undefined
    ? fleetAdmitRate(fleet, perInstanceRps, headroom, calls)
    : positive('admit rate (per second)', i.admitRatePerSecond);
  // over the whole first hour people arrive at its average rate
  const room = waitingRoom({ arrivalsPerSecond: firstHourRegistrationsPerSecond, admitRatePerSecond });
  return {
    firstHourRegistrationsPerSecond,
    firstHourAverageRps,
    peakRegistrationsPerSecond,
    peakDemandRps,
    instancesWithoutHeadroom: sizing.servers,
    instancesNeeded: sizing.serversWithHeadroom,
    fleet,
    admitRatePerSecond,
    longestQueue: room.queued,
    longestWaitSeconds: room.longestWaitSeconds,
    utilization: firstHourAverageRps / (fleet * perInstanceRps),
  };
}

/** Registrations per second a fleet can let in: its capacity kept below (1 + headroom). */
export function fleetAdmitRate(fleet: number, perInstanceRps: number, headroom: number, callsPerRegistration: number): number {
  return (fleet * perInstanceRps) / (1 + headroom) / callsPerRegistration;
}

/**
 * A FIFO waiting room fed faster than it admits, over a window (default the first hour): the backlog
 * grows at the difference of the two rates; the last to join waits for the whole backlog to drain.
 */
export function waitingRoom(i: { arrivalsPerSecond: number; admitRatePerSecond: number; seconds?: number }): { queued: number; longestWaitSeconds: number } {
  const seconds = i.seconds ?? 3600;
  const queued = Math.max(0, i.arrivalsPerSecond - i.admitRatePerSecond) * seconds;
  return { queued, longestWaitSeconds: queued / i.admitRatePerSecond };
}

function openUnitOrOne(what: string, v: number): number {
  return v === 1 ? 1 : openUnit(what, v);
}

function fleetOf(v: number): number {
  if (!Number.isInteger(v) || v < 1) throw invalid('instances', 'an integer >= 1', v);
  return v;
}
