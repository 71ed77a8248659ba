/**
 * Every default of the traffic model, with where it comes from. A source names its origin (publication
 * and date) and the section of docs/sources.md that quotes it; an "assumption" is ours and is a
 * parameter to change (docs/sources.md#assumptions).
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

/** The news report of launch day; docs/sources.md#the-news-report says what is known of it. */
const NEWS = 'Hindi news report, Raipur, Monday 10 May 2021';
const COWIN = 'CoWIN 18–44 opening, 28 Apr 2021';

/**
 * The heading of docs/sources.md that gives each default's origin (the report links it, `profile show`
 * prints it); "assumptions" for the defaults that are ours.
 */
export const SOURCE_SECTIONS: { readonly [K in keyof ProfileValues]: string } = {
  registrations: 'registrations', orders: 'orders', appInstalls: 'app-installs', orderValuePaise: 'order-value',
  bookingOpens: 'booking-hours', bookingCloses: 'booking-hours', preOpeningMinutes: 'assumptions', preOpeningShare: 'assumptions',
  firstHourShare: 'cowin-first-hour', firstThreeHoursShare: 'cowin-first-three-hours', spikeMinutes: 'assumptions',
  spikePeakFactor: 'irctc-tatkal-peak-factor', returningShareOfOrders: 'assumptions', statusChecksPerOrder: 'late-deliveries',
  browsersPerRegistration: 'app-installs', statusPolls: 'assumptions', thinkSeconds: 'assumptions', clientTimeoutSeconds: 'assumptions',
  retryPolicy: 'retries-on-launch-day', retryProbability: 'assumptions', maxRetries: 'assumptions', abandonAfterFailures: 'assumptions',
};

/** Where a figure is quoted, as printed in `profile show` and the report. */
export const sourceSection = (anchor: string): string => `docs/sources.md#${anchor}`;
const see = (key: keyof ProfileValues): string => sourceSection(SOURCE_SECTIONS[key]);

export const DEFAULTS: ResolvedProfile = {
  registrations: { value: 300_000, source: `${NEWS}: "3 lakh people registered" on day one (${see('registrations')})` },
  orders: { value: 29_000, source: `${NEWS}: "29 thousand+ people ordered liquor worth ₹4 crore 32 lakh" (${see('orders')})` },
  appInstalls: { value: 300_000, source: `${NEWS}: app "downloaded by 3 lakh+ people within a few hours" (${see('appInstalls')})` },
  orderValuePaise: { value: 149_000, source: `${NEWS}: ₹4.32 crore / 29,000 orders ≈ ₹1,490 per order (${see('orderValuePaise')})` },
  bookingOpens: { value: '09:00', source: `${NEWS}: booking started at 9 a.m.; hours cut to 9 a.m.–5 p.m. (first 8 a.m.–8 p.m.) (${see('bookingOpens')})` },
  bookingCloses: { value: '17:00', source: `${NEWS}: booking hours cut to 9 a.m.–5 p.m. (first 8 p.m.) (${see('bookingCloses')})` },
  preOpeningMinutes: { value: 15, source: `assumption: people with the app installed register in the 15 minutes before booking opens (${see('preOpeningMinutes')})` },
  preOpeningShare: { value: 0.02, source: `assumption: 2% of the day's registrations before opening (ramping up) (${see('preOpeningShare')})` },
  firstHourShare: { value: 0.26, source: `${COWIN} (Aarogya Setu): 35 lakh of 1.32 crore registrations in hour 1 ≈ 26% (${see('firstHourShare')})` },
  firstThreeHoursShare: { value: 0.60, source: `${COWIN} (health ministry): 80 lakh of 1.32 crore within 3 hours ≈ 60% (${see('firstThreeHoursShare')})` },
  spikeMinutes: { value: 10, source: `assumption: the 9 a.m. rush lasts about ten minutes (the spike decays with time constant spikeMinutes/3) (${see('spikeMinutes')})` },
  spikePeakFactor: { value: 4, source: `IRCTC Tatkal (Hindustan Times, 14 Jan 2025): Tatkal hours at 3.6–4.3× the average hour, rounded to 4× the first hour's average at 09:00 (${see('spikePeakFactor')})` },
  returningShareOfOrders: { value: 0.3, source: `assumption: 30% of orders come from people who registered earlier and came back to order (${see('returningShareOfOrders')})` },
  statusChecksPerOrder: { value: 3, source: `assumption: orders "not delivered until late at night" (${NEWS}), so people re-check status about 3 times per order (${see('statusChecksPerOrder')})` },
  browsersPerRegistration: { value: 0.5, source: `assumption: app installs (3 lakh+, ${NEWS}) exceed registrations; 1 browse-only visit per 2 registrations (${see('browsersPerRegistration')})` },
  statusPolls: { value: 3, source: `assumption: after ordering, the app polls order status 3 times (${see('statusPolls')})` },
  thinkSeconds: { value: 5, source: `assumption: 5 simulated seconds between screens (compressed with --time-scale) (${see('thinkSeconds')})` },
  clientTimeoutSeconds: { value: 30, source: `assumption: the app gives up on a request after 30 s (${see('clientTimeoutSeconds')})` },
  retryPolicy: { value: 'naive', source: `assumption, no known origin: people pressed again at once when the site hung — immediate retries (${see('retryPolicy')})` },
  retryProbability: { value: 0.8, source: `assumption: 80% of users retry a failed request (${see('retryProbability')})` },
  maxRetries: { value: 3, source: `assumption: a user retries at most 3 times per step (${see('maxRetries')})` },
  abandonAfterFailures: { value: 3, source: `assumption: after 3 failed steps a user gives up (abandonment) (${see('abandonAfterFailures')})` },
};

export const JOURNEYS = ['newUser', 'returningUser', 'statusChecker', 'browser'] as const;
export type Journey = (typeof JOURNEYS)[number];
