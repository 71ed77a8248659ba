/**
 * Personal fields a recording sent (mobile, name, e-mail) become seeded data: every iteration gets a
 * person of its own (`seededPerson(SEED, iterationInTest)`), so a load test never registers the
 * recorded person twice and never writes a real person's details into a scenario file.
 */
import { jsonLeaves } from '../scenario-api/capture.js';
import type { SeededPerson } from '../data/person.js';
import type { Exchange } from './har.js';
import type { Replacement } from './correlate.js';

const EMAIL = /^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/;

/** Which seeded field stands for a value sent under `key`, or null when it is not personal. */
export function personalField(key: string, value: string): keyof SeededPerson | null {
  const k = key.toLowerCase().replace(/[^a-z]/g, '');
  if (EMAIL.test(value)) return 'email';
  const digits = value.replace(/[\s-]/g, '');
  if (/(mobile|phone|msisdn|tel|contact)/.test(k) && /^\+?\d{10,13}$/.test(digits)) return digits.startsWith('+') ? 'mobile' : 'mobile10';
  if (/^(first|given)name$|^fname$/.test(k)) return 'firstName';
  if (/^(last|family|sur)name$|^surname$|^lname$/.test(k)) return 'lastName';
  if (/^(full)?name$|(patient|customer|user|applicant|holder|passenger|citizen)name$/.test(k) && /\p{L}/u.test(value)) return 'name';
  return null;
}

/** [key, value] pairs a request sends: query parameters, form fields, JSON fields. */
export function sentFields(x: Exchange): [string, string][] {
  const out: [string, string][] = [...x.url.searchParams.entries()];
  if (!x.body) return out;
  if (/x-www-form-urlencoded/i.test(x.body.mime)) out.push(...new URLSearchParams(x.body.text).entries());
  else if (/json/i.test(x.body.mime)) {
    try {
      for (const leaf of jsonLeaves(JSON.parse(x.body.text))) {
        const key = leaf.path.filter((p) => typeof p === 'string').at(-1);
        if (typeof key === 'string' && typeof leaf.value === 'string') out.push([key, leaf.value]);
      }
    } catch { /* not JSON after all */ }
  }
  return out;
}

/** The personal values of a recording, each replaced by its seeded field wherever it is sent. */
export function personalReplacements(exchanges: readonly Exchange[]): Replacement[] {
  const found = new Map<string, keyof SeededPerson>();
  for (const x of exchanges) {
    for (const [k, v] of sentFields(x)) {
      const field = personalField(k, v);
      if (field && !found.has(v)) found.set(v, field);
    }
  }
  const reps: Replacement[] = [];
  for (const [value, field] of found) {
    reps.push({ value, part: { kind: 'person', field } });
    // the ten digits of a +91 mobile may be sent alone elsewhere
    if (field === 'mobile' && value.length > 10) reps.push({ value: value.slice(-10), part: { kind: 'person', field: 'mobile10' } });
  }
  return reps;
}
