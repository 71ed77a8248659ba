import { describe, expect, it } from 'vitest';
import { loopbackFor } from '../../../src/run/portal-fleet.js';

describe("the fleet front's loopback address per client", () => {
  it('keeps a client on this machine at its own address, the IPv6 forms included', () => {
    expect(loopbackFor('127.0.0.1')).toBe('127.0.0.1');
    expect(loopbackFor('127.0.0.7')).toBe('127.0.0.7');
    expect(loopbackFor('::ffff:127.0.0.9')).toBe('127.0.0.9');
    expect(loopbackFor('::1')).toBe('127.0.0.1');
  });
  it('gives a remote client a loopback address of its own, the same every time, apart from the front', () => {
    const a = loopbackFor('10.20.30.40');
    expect(a).toMatch(/^127\.(\d+)\.(\d+)\.(\d+)$/);
    expect(a.startsWith('127.0.')).toBe(false);
    expect(loopbackFor('10.20.30.40')).toBe(a);
    expect(loopbackFor('::ffff:10.20.30.40')).toBe(a);
    // a thousand clients keep (nearly) a thousand addresses: collisions of 24 bits are rare
    const many = new Set(Array.from({ length: 1000 }, (_, i) => loopbackFor(`10.0.${i >> 8}.${i & 255}`)));
    expect(many.size).toBeGreaterThan(995);
    expect(loopbackFor('2001:db8::1')).toMatch(/^127\.[1-9]\d*\.\d+\.\d+$/);
  });
});
