import { SeededRandom } from './random';

/** Applies to every action that has no rule of its own. */
export const ANY_ACTION = '*';

export interface FaultRule {
  /** An action name such as `DescribeInstanceStatus`, or `*`. */
  action: string;
  /** Added before the answer, on every call. */
  latencyMs: number;
  /** Share of calls (0..1) answered with the service's throttling error. */
  throttleRate: number;
  /** Share of calls (0..1) answered with a server error. */
  serverErrorRate: number;
  /** The status server errors carry: 500 (InternalError) or 503 (service unavailable). */
  serverErrorStatus: 500 | 503;
  /**
   * EC2's eventual consistency: an instance launched less than this long ago is unknown to the
   * call (`InvalidInstanceID.NotFound` when named, left out of listings).
   */
  newInstanceNotFoundMs: number;
}

export type FaultSpec = Pick<FaultRule, 'action'> & Partial<Omit<FaultRule, 'action'>>;

export type FaultOutcome = 'none' | 'throttle' | 'server-error';

export interface FaultDecision {
  latencyMs: number;
  outcome: FaultOutcome;
  serverErrorStatus: 500 | 503;
  newInstanceNotFoundMs: number;
}

const NO_FAULT: FaultDecision = {
  latencyMs: 0,
  outcome: 'none',
  serverErrorStatus: 500,
  newInstanceNotFoundMs: 0,
};

/** Decides, per call, which injected fault applies; the draws replay for the same seed. */
export class FaultInjector {
  private readonly rules = new Map<string, FaultRule>();
  private random: SeededRandom;

  constructor(private readonly seed: number) {
    this.random = new SeededRandom(seed);
  }

  /** Sets (replaces) the rule for one action; a rule that injects nothing is removed. */
  set(spec: FaultSpec): FaultRule[] {
    const rule: FaultRule = {
      action: spec.action,
      latencyMs: spec.latencyMs ?? 0,
      throttleRate: spec.throttleRate ?? 0,
      serverErrorRate: spec.serverErrorRate ?? 0,
      serverErrorStatus: spec.serverErrorStatus ?? 500,
      newInstanceNotFoundMs: spec.newInstanceNotFoundMs ?? 0,
    };
    if (
      rule.latencyMs === 0 &&
      rule.throttleRate === 0 &&
      rule.serverErrorRate === 0 &&
      rule.newInstanceNotFoundMs === 0
    ) {
      this.rules.delete(rule.action);
    } else {
      this.rules.set(rule.action, rule);
    }
    return this.list();
  }

  list(): FaultRule[] {
    return [...this.rules.values()].map((rule) => ({ ...rule }));
  }

  clear(): void {
    this.rules.clear();
    this.random = new SeededRandom(this.seed);
  }

  decide(action: string): FaultDecision {
    const rule = this.rules.get(action) ?? this.rules.get(ANY_ACTION);
    if (!rule) {
      return NO_FAULT;
    }
    const outcome: FaultOutcome = this.draw(rule.throttleRate)
      ? 'throttle'
      : this.draw(rule.serverErrorRate)
        ? 'server-error'
        : 'none';
    return {
      latencyMs: rule.latencyMs,
      outcome,
      serverErrorStatus: rule.serverErrorStatus,
      newInstanceNotFoundMs: rule.newInstanceNotFoundMs,
    };
  }

  private draw(rate: number): boolean {
    if (rate <= 0) {
      return false;
    }
    return rate >= 1 || this.random.next() < rate;
  }
}
