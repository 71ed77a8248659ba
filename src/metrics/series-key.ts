import type { Tags } from './types.js';

/** A stable key for a metric and its tag set, in k6's threshold form: `name{a:1,b:2}` (tags sorted). */
export function seriesKey(metric: string, tags: Tags): string {
  const names = Object.keys(tags).sort();
  if (names.length === 0) return metric;
  return `${metric}{${names.map((n) => `${n}:${tags[n]}`).join(',')}}`;
}

/** True when every tag of the filter is present in `tags` with the same value. */
export function tagsMatch(tags: Tags, filter: Tags | undefined): boolean {
  if (!filter) return true;
  for (const name of Object.keys(filter)) {
    if (tags[name] !== filter[name]) return false;
  }
  return true;
}
