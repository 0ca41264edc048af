import type { InstanceTag } from '../services/aws/fleet.gateway';
import type { OnboardingService } from '../services/workers/onboarding.service';
import type { JobHandler } from './scheduler';

/**
 * Registers the instances that carry every WORKER_AUTO_IMPORT_TAGS tag and have no worker yet.
 * One such job runs fleet-wide at a time; should two processes import the same instance anyway,
 * the registry's unique index keeps one worker.
 */
export function autoImportWorkersHandler(
  onboarding: OnboardingService,
  tags: readonly InstanceTag[],
): JobHandler<'auto-import-workers'> {
  return async () => {
    await onboarding.autoImport(tags);
  };
}
