import type { CheckStatus, EmulatedInstance, EmulatorTiming } from './instance-lifecycle';

export interface CheckResult {
  status: CheckStatus;
  impairedSince: number | undefined;
}

/** The two checks DescribeInstanceStatus reports: AWS's side (system) and the instance's own. */
export interface StatusChecks {
  system: CheckResult;
  instance: CheckResult;
}

const NOT_APPLICABLE: CheckResult = { status: 'not-applicable', impairedSince: undefined };

/**
 * What the checks say now: nothing applies unless the instance runs; then `initializing` for a
 * while after it started (or rebooted) and `ok` after, unless a result was forced.
 */
export function statusChecks(
  instance: EmulatedInstance,
  now: number,
  timing: Pick<EmulatorTiming, 'initializingChecksMs'>,
): StatusChecks {
  if (instance.state !== 'running') {
    return { system: NOT_APPLICABLE, instance: NOT_APPLICABLE };
  }
  const automatic: CheckStatus =
    now < instance.checksSince + timing.initializingChecksMs ? 'initializing' : 'ok';
  const result = (kind: keyof StatusChecks): CheckResult => {
    const forced = instance.forcedChecks[kind];
    if (!forced) {
      return { status: automatic, impairedSince: undefined };
    }
    return {
      status: forced.status,
      impairedSince: forced.status === 'impaired' ? forced.since : undefined,
    };
  };
  return { system: result('system'), instance: result('instance') };
}
