/**
 * What a zod issue expected, in plain words ("at most 64 characters", "resilient or as-built", "a finite
 * number"), without the leading "expected". The one wording of validation messages for the portal's API
 * and the toolkit's flags and files (src/contracts/issues.ts reads it; the portal imports nothing from src/).
 * A message a schema wrote itself ('expected HH:MM') is kept as it is.
 */
export interface IssueLike {
  code: string; message: string;
  origin?: string; maximum?: number | bigint; minimum?: number | bigint; inclusive?: boolean;
  values?: readonly unknown[]; expected?: string; received?: string; divisor?: number | bigint; format?: string;
}

const ZOD_DEFAULT = /^(Invalid input|Invalid option|Invalid string|Invalid|Too big|Too small|Number must|String must)\b/;

const TYPE_WORDS: Record<string, string> = {
  number: 'a number', int: 'an integer', string: 'a string', boolean: 'true or false', object: 'an object',
  array: 'a list', bigint: 'an integer', date: 'a date', null: 'null', undefined: 'nothing',
};

function list(values: readonly unknown[]): string {
  const shown = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return shown.length <= 1 ? (shown[0] ?? 'nothing') : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

function bound(issue: IssueLike, big: boolean): string {
  const n = Number(big ? issue.maximum : issue.minimum);
  const inclusive = issue.inclusive !== false;
  const word = big ? (inclusive ? 'at most' : 'less than') : (inclusive ? 'at least' : 'more than');
  switch (issue.origin) {
    case 'string': return `${word} ${n} character${n === 1 ? '' : 's'}`;
    case 'array': case 'set': return `${word} ${n} item${n === 1 ? '' : 's'}`;
    case 'file': return `${word} ${n} bytes`;
    default: return `a number ${big ? (inclusive ? '≤' : '<') : (inclusive ? '≥' : '>')} ${n}`;
  }
}

export function expectedWords(issue: IssueLike): string {
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message.replace(/^expected\s+/i, '');
  switch (issue.code) {
    case 'invalid_value': return issue.values && issue.values.length > 1 ? `one of ${list(issue.values)}` : list(issue.values ?? []);
    case 'too_big': return bound(issue, true);
    case 'too_small': return bound(issue, false);
    case 'not_multiple_of': return `a multiple of ${Number(issue.divisor)}`;
    case 'invalid_type':
      if (issue.expected === 'number' && (issue.received === 'Infinity' || issue.received === 'NaN')) return 'a finite number';
      return TYPE_WORDS[issue.expected ?? ''] ?? `a value of type ${issue.expected}`;
    case 'invalid_format': return issue.format === 'regex' ? `text of the form ${issue.message.replace(/^.*pattern\s*/, '')}` : `a valid ${issue.format ?? 'value'}`;
    default: return issue.message.replace(/^Invalid input:\s*/i, '').replace(/^expected\s+/i, '');
  }
}
