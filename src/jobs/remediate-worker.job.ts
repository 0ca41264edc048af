import type { RemediationService } from '../services/alerts/remediation.service';
import type { JobHandler } from './scheduler';

/**
 * Acts on a fired alert on the operators' behalf: starts a worker that stopped unexpectedly
 * (WORKER_AUTO_REMEDIATION) or stops an idle one (WORKER_IDLE_AUTO_STOP).
 */
export function remediateWorkerHandler(
  remediation: RemediationService,
): JobHandler<'remediate-worker'> {
  return async ({ alertId }) => {
    await remediation.remediate(alertId);
  };
}
