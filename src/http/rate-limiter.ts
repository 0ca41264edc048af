export interface RateLimit {
  /** Tokens added per minute. */
  perMinute: number;
  /** Tokens a bucket holds: what a caller idle long enough may spend at once. */
  burst: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Beyond this many callers the longest-idle buckets go first, so memory stays bounded. */
const DEFAULT_MAX_BUCKETS = 100_000;

/**
 * One token bucket per caller, in memory (per process). A bucket that has refilled completely
 * is the same as no bucket, so idle ones are dropped on a sweep at most once per refill time.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly refillMs: number;
  private sweptAt: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
    private readonly maxBuckets = DEFAULT_MAX_BUCKETS,
  ) {
    this.perMs = limit.perMinute / 60_000;
    this.refillMs = Math.ceil(limit.burst / this.perMs);
    this.sweptAt = now();
  }

  /**
   * Takes `cost` tokens from the caller's bucket, or says when enough will be there. A cost above
   * the burst takes a full bucket: it is never out of reach for good.
   */
  take(caller: string, cost = 1): RateDecision {
    const now = this.now();
    this.sweep(now);
    const bucket = this.refilled(caller, now);
    const needed = Math.min(cost, this.limit.burst);
    if (bucket.tokens >= needed) {
      bucket.tokens -= needed;
      return { allowed: true };
    }
    const waitMs = (needed - bucket.tokens) / this.perMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** Callers with a bucket that has not refilled yet. */
  get size(): number {
    return this.buckets.size;
  }

  private refilled(caller: string, now: number): Bucket {
    const bucket = this.buckets.get(caller);
    if (!bucket) {
      const fresh = { tokens: this.limit.burst, updatedAt: now };
      this.buckets.set(caller, fresh);
      this.evictOverflow();
      return fresh;
    }
    bucket.tokens = Math.min(
      this.limit.burst,
      bucket.tokens + (now - bucket.updatedAt) * this.perMs,
    );
    bucket.updatedAt = now;
    // Most recently used last: the Map's order is then the eviction order.
    this.buckets.delete(caller);
    this.buckets.set(caller, bucket);
    return bucket;
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < this.refillMs) {
      return;
    }
    this.sweptAt = now;
    for (const [caller, bucket] of this.buckets) {
      if (now - bucket.updatedAt < this.refillMs) {
        // The rest were used more recently still.
        return;
      }
      this.buckets.delete(caller);
    }
  }

  private evictOverflow(): void {
    for (const caller of this.buckets.keys()) {
      if (this.buckets.size <= this.maxBuckets) {
        return;
      }
      this.buckets.delete(caller);
    }
  }
}
