/**
 * Numbers for Indian readers, in both languages: Indian digit grouping (3,00,000), money from integer
 * paise as rupees, large sums in lakh / crore (₹4.32 crore, ₹4.32 करोड़). Digits stay Latin in Hindi,
 * as on Indian government portals and bank statements.
 */
export type Lang = 'en' | 'hi';

const grouping = new Map<number, Intl.NumberFormat>();
function nf(decimals: number): Intl.NumberFormat {
  let f = grouping.get(decimals);
  if (!f) grouping.set(decimals, (f = new Intl.NumberFormat('en-IN', { maximumFractionDigits: decimals, minimumFractionDigits: 0 })));
  return f;
}

/** 300000 → "3,00,000"; `decimals` is the most shown (trailing zeros dropped). */
export function formatNumber(n: number, decimals = 0): string {
  if (!Number.isFinite(n)) return '–';
  return nf(decimals).format(n);
}

/** A count: lakh and crore in words from 1 lakh up ("3 lakh", "1.32 crore"), grouped digits below. */
export function formatCount(n: number, lang: Lang): string {
  const abs = Math.abs(n);
  if (abs >= 1e7) return `${trim(n / 1e7)} ${lang === 'hi' ? 'करोड़' : 'crore'}`;
  if (abs >= 1e5) return `${trim(n / 1e5)} ${lang === 'hi' ? 'लाख' : 'lakh'}`;
  return formatNumber(n);
}

function trim(x: number): string {
  return formatNumber(Math.round(x * 100) / 100, 2);
}

/**
 * Money from integer paise. From ₹1 lakh up: "₹4.32 crore" / "₹4.32 करोड़" (two decimals, rounded);
 * below: exact rupees with grouping and paise when there are any ("₹1,490", "₹12.50").
 */
export function formatPaise(paise: number, lang: Lang): string {
  if (!Number.isInteger(paise)) throw new Error(`invalid money: expected integer paise, got ${paise}`);
  const sign = paise < 0 ? '−' : '';
  const abs = Math.abs(paise);
  if (abs >= 1e7 * 100 || abs >= 1e5 * 100) return `${sign}₹${formatCount(abs / 100, lang)}`;
  const rupees = Math.floor(abs / 100), rest = abs % 100;
  return `${sign}₹${formatNumber(rupees)}${rest ? '.' + String(rest).padStart(2, '0') : ''}`;
}

/** Milliseconds for people: "320 ms" / "2.4 s" / "3.5 min" (Hindi units in words). */
export function formatMs(ms: number, lang: Lang): string {
  const u = lang === 'hi' ? { ms: 'मिलीसेकंड', s: 'सेकंड', min: 'मिनट' } : { ms: 'ms', s: 's', min: 'min' };
  if (ms < 1000) return `${formatNumber(ms, ms < 10 ? 1 : 0)} ${u.ms}`;
  if (ms < 120_000) return `${formatNumber(ms / 1000, 1)} ${u.s}`;
  return `${formatNumber(ms / 60_000, 1)} ${u.min}`;
}

/** A share as a percentage: 0.0123 → "1.23%". */
export function formatPercent(share: number): string {
  const p = share * 100;
  return `${formatNumber(p, p !== 0 && Math.abs(p) < 1 ? 2 : 1)}%`;
}

/** Everything from data goes through here before it reaches HTML. */
export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe inside <script type="application/json">: no "</script>", no HTML comment openers. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** An ISO instant as a planner reads it, in India Standard Time: "28 Nov 2026, 9:05 am IST" / "28 नव॰ 2026, 21:05 भारतीय समय". */
export function formatInstant(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const s = new Intl.DateTimeFormat(lang === 'hi' ? 'hi-IN' : 'en-IN', {
    timeZone: 'Asia/Kolkata', day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit',
    ...(lang === 'hi' ? { hourCycle: 'h23' as const } : {}),
  }).format(d);
  return `${s} ${lang === 'hi' ? 'भारतीय समय' : 'IST'}`;
}
