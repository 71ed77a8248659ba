import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expectedWords } from '../../../src/contracts/issues.js';
import { describeIssue } from '../../../mock-portal/src/http/validate.js';

const first = (schema: z.ZodType, v: unknown) => schema.safeParse(v).error!.issues[0]!;

describe('what a zod issue expected, in plain words (flags, files and the portal API alike)', () => {
  it.each([
    [z.enum(['resilient', 'as-built']), 'x', 'one of resilient or as-built'],
    [z.string().max(64), 'a'.repeat(65), 'at most 64 characters'],
    [z.string().min(1), '', 'at least 1 character'],
    [z.coerce.number(), '1e309', 'a finite number'],
    [z.number().int(), 1.5, 'an integer'],
    [z.number().positive(), -1, 'a number > 0'],
    [z.number().max(1), 2, 'a number ≤ 1'],
    [z.array(z.number()).min(1), [], 'at least 1 item'],
    [z.string(), 5, 'a string'],
    [z.string().refine(() => false, 'expected HH:MM'), 'x', 'HH:MM'],
  ])('%#: %j', (schema, value, words) => {
    const issue = first(schema as z.ZodType, value);
    expect(expectedWords(issue)).toBe(words);
    expect(expectedWords(issue)).not.toMatch(/expected|Too big|Too small|Invalid/);
  });

  it('the portal says it the same way: no "expected Too big"', () => {
    const schema = z.strictObject({ shopId: z.string().min(1).max(64) });
    const long = 'x'.repeat(65);
    expect(describeIssue(first(schema, { shopId: long }), { shopId: long }, 'body')).toBe(`invalid shopId: expected at most 64 characters, got "${'x'.repeat(56)}...`);
  });
});
