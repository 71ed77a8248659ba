import { describe, expect, it } from 'vitest';
import {
  CFS_PERIOD_US, chooseCgroupLayout, leafOwner, cpuCgroupPathOf, cpuMaxLine, cpuQuotaOf, cpuUsageOf, parseCgroupMounts, parseCpuShare, quotaCeilingUs,
} from '../../../src/run/cgroup.js';
import { UsageError } from '../../../src/contracts/errors.js';

const V1_SPLIT = `tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0
cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0
cgroup /sys/fs/cgroup/cpuacct cgroup rw,relatime,cpuacct 0 0
cgroup /sys/fs/cgroup/cpuset cgroup rw,relatime,cpuset 0 0
cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
`;
const V1_COMOUNTED = 'cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,nosuid,nodev,noexec,relatime,cpu,cpuacct 0 0\n';
const V2 = 'cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0\n';

describe('cpu quota of a share of one core', () => {
  it('is the share of the 100 ms CFS period', () => {
    expect(cpuQuotaOf(0.5)).toEqual({ periodUs: CFS_PERIOD_US, quotaUs: 50_000 });
    expect(cpuQuotaOf(0.2)).toEqual({ periodUs: 100_000, quotaUs: 20_000 });
    expect(cpuQuotaOf(2)).toEqual({ periodUs: 100_000, quotaUs: 200_000 });
    expect(cpuMaxLine(cpuQuotaOf(0.25))).toBe('25000 100000');
  });

  it('refuses zero, negatives, below the kernel minimum and absurd shares, naming the flag and value', () => {
    for (const bad of [0, -0.5, Number.NaN, 65, 0.001]) expect(() => cpuQuotaOf(bad)).toThrow(UsageError);
    expect(() => cpuQuotaOf(0)).toThrow(/invalid --cpu-share: expected a share of one core.*got 0/);
    expect(() => cpuQuotaOf(0.001)).toThrow(/at least 0\.01 of a core.*got 0\.001/);
  });

  it('parses the flag as a number, refusing words', () => {
    expect(parseCpuShare('0.5')).toBe(0.5);
    expect(() => parseCpuShare('half')).toThrow(/invalid --cpu-share: expected a share of one core, e\.g\. 0\.5, got "half"/);
    expect(() => parseCpuShare('')).toThrow(/got ""/);
  });

  it('bounds what the cgroup may have used by quota × periods, with a period and 5% of slack', () => {
    expect(quotaCeilingUs(cpuQuotaOf(0.2), 10)).toBeCloseTo(231_000, 6);
  });
});

describe('choosing the cgroup hierarchy', () => {
  it('finds v1 cpu and cpuacct mounted apart, and the unified mount', () => {
    expect(parseCgroupMounts(V1_SPLIT)).toEqual({ v2: '/sys/fs/cgroup/unified', v1cpu: '/sys/fs/cgroup/cpu', v1cpuacct: '/sys/fs/cgroup/cpuacct' });
  });

  it('finds cpu and cpuacct co-mounted in one v1 directory', () => {
    expect(parseCgroupMounts(V1_COMOUNTED)).toEqual({ v2: null, v1cpu: '/sys/fs/cgroup/cpu,cpuacct', v1cpuacct: '/sys/fs/cgroup/cpu,cpuacct' });
  });

  it('decodes escaped spaces in mount points', () => {
    expect(parseCgroupMounts('cgroup2 /mnt/my\\040cgroups cgroup2 rw 0 0').v2).toBe('/mnt/my cgroups');
  });

  it('uses v2 when its root offers the cpu controller', () => {
    expect(chooseCgroupLayout(parseCgroupMounts(V2), ['cpuset', 'cpu', 'io', 'memory'])).toEqual({ version: 2, root: '/sys/fs/cgroup' });
  });

  it('falls back to v1 when the unified hierarchy has no cpu controller (hybrid systems)', () => {
    expect(chooseCgroupLayout(parseCgroupMounts(V1_SPLIT), [])).toEqual({ version: 1, cpu: '/sys/fs/cgroup/cpu', cpuacct: '/sys/fs/cgroup/cpuacct' });
  });

  it('says what is missing when neither hierarchy can take a quota', () => {
    const r = chooseCgroupLayout(parseCgroupMounts(V2), ['memory', 'pids']);
    expect(r).toEqual({ error: expect.stringMatching(/does not offer the cpu controller.*cgroup\.controllers: "memory pids"/) });
    expect(chooseCgroupLayout(parseCgroupMounts('proc /proc proc rw 0 0'), null)).toEqual({ error: expect.stringMatching(/no cgroup filesystem with a cpu controller/) });
  });
});

describe("the cgroup's own accounting", () => {
  it('reads v2 cpu.stat in microseconds', () => {
    const stat = 'usage_usec 123456\nuser_usec 100000\nsystem_usec 23456\nnr_periods 30\nnr_throttled 12\nthrottled_usec 800000\n';
    expect(cpuUsageOf(2, stat, null)).toEqual({ usageUs: 123456, periods: 30, throttledPeriods: 12, throttledUs: 800000 });
  });

  it('reads v1 usage from cpuacct.usage (ns) and throttling from cpu.stat (ns)', () => {
    const stat = 'nr_periods 20\nnr_throttled 19\nthrottled_time 1500000000\nnr_bursts 0\nburst_time 0\n';
    expect(cpuUsageOf(1, stat, '400000000\n')).toEqual({ usageUs: 400000, periods: 20, throttledPeriods: 19, throttledUs: 1500000 });
  });

  it('says usage is unknown (null, not 0) when v1 keeps no cpuacct', () => {
    expect(cpuUsageOf(1, 'nr_periods 1\nnr_throttled 0\nthrottled_time 0\n', null).usageUs).toBeNull();
  });

  it('knows which process made a leaf from its name, and no other directory', () => {
    expect(leafOwner('4242-3-mx78s59r')).toBe(4242);
    expect(leafOwner('system.slice')).toBeNull();
    expect(leafOwner('4242')).toBeNull();
  });

  it("finds a process's cpu cgroup path on v1 and v2", () => {
    const v1 = '9:name=systemd:/\n2:cpuacct:/acct/x\n1:cpu:/capacity-test/1-1\n0::/\n';
    expect(cpuCgroupPathOf(v1, 1)).toBe('/capacity-test/1-1');
    expect(cpuCgroupPathOf(v1, 1, 'cpuacct')).toBe('/acct/x');
    expect(cpuCgroupPathOf('0::/user.slice/session-1.scope\n', 2)).toBe('/user.slice/session-1.scope');
    expect(cpuCgroupPathOf('4:cpu,cpuacct:/docker/abc\n', 1, 'cpuacct')).toBe('/docker/abc');
  });
});
