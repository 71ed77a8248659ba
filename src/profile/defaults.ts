/**
 * Every default of the traffic model, with where it comes from. Sources cite
 * /work/shared/context/LAUNCH-DAY-FACTS.md ("FACTS"); an "assumption" is ours and is a parameter to change.
 */
export interface ProfileValues {
  registrations: number;
  orders: number;
  appInstalls: number;
  orderValuePaise: number;
  bookingOpens: string;
  bookingCloses: string;
  preOpeningMinutes: number;
  preOpeningShare: number;
  firstHourShare: number;
  firstThreeHoursShare: number;
  spikeMinutes: number;
  spikePeakFactor: number;
  returningShareOfOrders: number;
  statusChecksPerOrder: number;
  browsersPerRegistration: number;
  statusPolls: number;
  thinkSeconds: number;
  clientTimeoutSeconds: number;
  retryPolicy: 'naive' | 'polite';
  retryProbability: number;
  maxRetries: number;
  abandonAfterFailures: number;
}

export interface Param<T> { value: T; source: string }
export type ResolvedProfile = { [K in keyof ProfileValues]: Param<ProfileValues[K]> };

const F = 'LAUNCH-DAY-FACTS.md';
export const DEFAULTS: ResolvedProfile = {
  registrations: { value: 300_000, source: `${F}: "3 lakh (300,000) people registered" on day one` },
  orders: { value: 29_000, source: `${F}: "29,000+ people ordered liquor worth ₹4 crore 32 lakh"` },
  appInstalls: { value: 300_000, source: `${F}: Android app "downloaded by 3 lakh+ people within hours"` },
  orderValuePaise: { value: 149_000, source: `${F}: ₹4.32 crore / 29,000 orders ≈ ₹1,490 per order` },
  bookingOpens: { value: '09:00', source: `${F}: booking started at 9 a.m.; hours cut to 9 a.m.–5 p.m. (first 8 a.m.–8 p.m.)` },
  bookingCloses: { value: '17:00', source: `${F}: booking hours cut to 9 a.m.–5 p.m. (originally 8 p.m.)` },
  preOpeningMinutes: { value: 15, source: 'assumption: people with the app installed register in the 15 minutes before booking opens' },
  preOpeningShare: { value: 0.02, source: 'assumption: 2% of the day\'s registrations before opening (ramping up)' },
  firstHourShare: { value: 0.26, source: `${F}: CoWIN 18–44 opening, 35 lakh of 1.32 crore registrations in hour 1 ≈ 26%` },
  firstThreeHoursShare: { value: 0.60, source: `${F}: CoWIN, 80 lakh of 1.32 crore within 3 hours ≈ 60%` },
  spikeMinutes: { value: 10, source: 'assumption: the 9 a.m. rush lasts about ten minutes (the spike decays with time constant spikeMinutes/3)' },
  spikePeakFactor: { value: 4, source: `${F}: IRCTC Tatkal hours at 3.6–4.3× the average (rounded to 4× the first hour's average at 09:00)` },
  returningShareOfOrders: { value: 0.3, source: 'assumption: 30% of orders come from people who registered earlier and came back to order' },
  statusChecksPerOrder: { value: 3, source: `assumption: orders "not delivered until late night" (${F}), so people re-check status about 3 times per order` },
  browsersPerRegistration: { value: 0.5, source: `assumption: app installs (3 lakh+, ${F}) exceed registrations; 1 browse-only visit per 2 registrations` },
  statusPolls: { value: 3, source: 'assumption: after ordering, the app polls order status 3 times' },
  thinkSeconds: { value: 5, source: 'assumption: 5 simulated seconds between screens (compressed with --time-scale)' },
  clientTimeoutSeconds: { value: 30, source: 'assumption: the app gives up on a request after 30 s' },
  retryPolicy: { value: 'naive', source: `${F}: "people refresh when nothing happens" — immediate retries, as on launch day` },
  retryProbability: { value: 0.8, source: 'assumption: 80% of users retry a failed request' },
  maxRetries: { value: 3, source: 'assumption: a user retries at most 3 times per step' },
  abandonAfterFailures: { value: 3, source: 'assumption: after 3 failed steps a user gives up (abandonment)' },
};

export const JOURNEYS = ['newUser', 'returningUser', 'statusChecker', 'browser'] as const;
export type Journey = (typeof JOURNEYS)[number];
