import { RateLimiter } from '../../src/http/rate-limiter';

describe(RateLimiter.name, () => {
  let now: number;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  it('should allow the burst at once, then one token per refill interval, per caller', () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 3 }, clock);

    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('b').allowed).toBe(true);
    now += 1_000;
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('should take several tokens at once, and a full bucket for more than the burst', () => {
    const limiter = new RateLimiter({ perMinute: 6, burst: 4 }, clock);

    expect(limiter.take('a', 3).allowed).toBe(true);
    expect(limiter.take('a', 2)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    now += 30_000;
    expect(limiter.take('a', 100).allowed).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('should forget callers whose bucket has refilled, and never hold more than its maximum', () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 2 }, clock, 100);

    for (let caller = 0; caller < 250; caller += 1) {
      limiter.take(`address:${caller}`);
    }
    expect(limiter.size).toBe(100);
    now += 1_999;
    limiter.take('recent');
    expect(limiter.size).toBe(100);
    now += 1;
    limiter.take('later');
    expect(limiter.size).toBe(2);
  });
});
