import { SOURCE_SECTIONS, isProfileKey, sourceKind, sourceSection, type ProfileValues } from '../profile/index.js';
import { formatCount, formatNumber, formatPaise, formatPercent, type Lang } from './format.js';
import { PARAMS, t, type StringKey } from './i18n.js';

/**
 * The traffic-model table of the report in the reader's language: each parameter's name, its value
 * in the form a planner reads (₹ from paise, lakh and crore, %, minutes), and its origin — the
 * default's publication and date with the section of docs/sources.md quoting it, or the planner's own
 * profile file or flag. Words from i18n.ts, numbers from format.ts.
 */
type Shape = 'count' | 'paise' | 'clock' | 'minutes' | 'share' | 'times' | 'perOrder' | 'perRegistration' | 'number' | 'simSeconds' | 'seconds' | 'retry';

const SHAPE: { readonly [K in keyof ProfileValues]: Shape } = {
  registrations: 'count', orders: 'count', appInstalls: 'count', orderValuePaise: 'paise',
  bookingOpens: 'clock', bookingCloses: 'clock', preOpeningMinutes: 'minutes', preOpeningShare: 'share',
  firstHourShare: 'share', firstThreeHoursShare: 'share', spikeMinutes: 'minutes', spikePeakFactor: 'times',
  returningShareOfOrders: 'share', statusChecksPerOrder: 'perOrder', browsersPerRegistration: 'perRegistration',
  statusPolls: 'number', thinkSeconds: 'simSeconds', clientTimeoutSeconds: 'seconds', retryPolicy: 'retry',
  retryProbability: 'share', maxRetries: 'number', abandonAfterFailures: 'number',
};

const WITH_N: Partial<Record<Shape, StringKey>> = {
  minutes: 'value.minutes', times: 'value.times', perOrder: 'value.perOrder', perRegistration: 'value.perRegistration',
  simSeconds: 'value.simSeconds', seconds: 'value.seconds',
};

/** A parameter's value as a planner reads it; `shown` (the recorded text) when its shape does not fit. */
export function paramValue(key: string, value: unknown, shown: string, lang: Lang): string {
  if (!isProfileKey(key)) return shown;
  const shape = SHAPE[key];
  if (shape === 'retry') return value === 'naive' || value === 'polite' ? t(lang, `value.retry.${value}`) : shown;
  if (shape === 'clock') return typeof value === 'string' ? value : shown;
  if (typeof value !== 'number' || !Number.isFinite(value)) return shown;
  if (shape === 'count') return formatCount(value, lang);
  if (shape === 'paise') return Number.isInteger(value) ? formatPaise(value, lang) : shown;
  if (shape === 'share') return formatPercent(value);
  const n = formatNumber(value, 2);
  const key2 = WITH_N[shape];
  return key2 ? t(lang, key2, { n }) : n;
}

export interface SourceText {
  /** the origin in a sentence (or the planner's file or flag) */
  text: string;
  /** `docs/sources.md#<heading>` quoting it, when the value is the toolkit's default */
  section: string | null;
}

/** Where a parameter's value came from, in the reader's language. */
export function paramSource(key: string, value: unknown, source: string | null, lang: Lang): SourceText | null {
  if (source === null) return null;
  const k = sourceKind(key, value, source);
  switch (k.kind) {
    case 'file': return { text: k.file ? t(lang, 'source.profileFile', { file: k.file }) : t(lang, 'source.profileFileUnnamed'), section: null };
    case 'flag': return { text: t(lang, 'source.flag', { flag: k.flag }), section: null };
    case 'default': {
      const p = key as keyof ProfileValues;
      return { text: PARAMS[lang][p].origin, section: sourceSection(SOURCE_SECTIONS[p]) };
    }
    case 'other': return { text: t(lang, 'source.recorded', { raw: k.text }), section: null };
  }
}

/** A parameter's name for a planner; the key itself for one this version does not know. */
export function paramName(key: string, lang: Lang): string | null {
  return isProfileKey(key) ? PARAMS[lang][key].name : null;
}
