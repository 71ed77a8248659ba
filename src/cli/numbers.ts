import { invalid } from '../contracts/errors.js';

/** Commander argParser for numeric flags: the message names the flag and the bad value. */
export function numberFlag(flag: string) {
  return (value: string): number => {
    const n = value.trim() === '' ? Number.NaN : Number(value);
    if (!Number.isFinite(n)) throw invalid(flag, 'a number', value);
    return n;
  };
}
