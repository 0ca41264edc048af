import type { Config } from '../../config';
import type { Alert } from '../../entities/alert.entity';
import {
  AlertKind,
  AlertState,
  RemediationOutcome,
  WorkerAction,
} from '../../entities/alert.enums';
import { BY_POLICY, type ChangeOrigin } from '../../entities/change-source.enum';
import { CmlServiceStatus } from '../../entities/cml.types';
import type { Worker } from '../../entities/worker.entity';
import type { CmlReader } from '../cml/cml-monitor';
import type { Logger } from '../../logger';
import type { AlertRemediationRepository } from '../../repositories/alert-remediation.repository';
import type { AlertRepository } from '../../repositories/alert.repository';

/** The lifecycle calls remediation makes, with the registry's own bookkeeping. */
export interface LifecycleDriver {
  findById(id: string): Promise<Worker | null>;
  start(id: string, origin: ChangeOrigin): Promise<Worker>;
  stop(id: string, origin: ChangeOrigin): Promise<Worker>;
}

const DAY_MS = 86_400_000;

/**
 * Acts on fired alerts when configured to: restarts a worker that stopped unexpectedly, at most
 * WORKER_AUTO_REMEDIATION_MAX_ATTEMPTS times a day (a machine that keeps dying needs a human),
 * and stops an idle one. Each attempt and its outcome is stored on the alert.
 */
export class RemediationService {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly attempts: AlertRemediationRepository,
    private readonly workers: LifecycleDriver,
    private readonly config: Pick<Config, 'alerts'>,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
    /** Asked once more just before an idle stop; undefined: CML monitoring is off. */
    private readonly controllers?: CmlReader,
  ) {}

  async remediate(alertId: string): Promise<void> {
    const alert = await this.alerts.findById(alertId);
    // Resolved meanwhile (someone started it), or already acted on by an earlier run of the job.
    if (
      !alert ||
      alert.state !== AlertState.FIRING ||
      (await this.attempts.existsForAlert(alertId))
    ) {
      return;
    }
    const action = actionFor(alert.kind);
    if (!action) {
      return;
    }
    const context = { alertId, workerId: alert.workerId, kind: alert.kind, action };
    const limit = this.config.alerts.autoRemediation?.maxAttemptsPerDay;
    if (action === WorkerAction.START && limit !== undefined) {
      const recent = await this.attempts.countRestartsSince(
        alert.workerId,
        new Date(this.now().getTime() - DAY_MS),
      );
      if (recent >= limit) {
        const detail = `${recent} restarts in the last 24 h (WORKER_AUTO_REMEDIATION_MAX_ATTEMPTS=${limit})`;
        await this.record(alert, action, RemediationOutcome.SKIPPED, detail);
        this.logger.warn({ ...context, detail }, 'auto-remediation skipped');
        return;
      }
    }
    if (action === WorkerAction.STOP) {
      const reason = await this.keepsRunning(alert.workerId);
      if (reason) {
        await this.record(alert, action, RemediationOutcome.SKIPPED, reason);
        this.logger.info({ ...context, detail: reason }, 'idle auto-stop skipped');
        return;
      }
    }
    try {
      // The service's own doing: its status change is stored with source POLICY, no actor.
      await (action === WorkerAction.START
        ? this.workers.start(alert.workerId, BY_POLICY)
        : this.workers.stop(alert.workerId, BY_POLICY));
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      await this.record(alert, action, RemediationOutcome.FAILED, detail);
      this.logger.error({ ...context, err: error }, 'auto-remediation failed');
      return;
    }
    await this.record(alert, action, RemediationOutcome.REQUESTED, null);
    this.logger.info(context, 'auto-remediation requested');
  }

  /**
   * Why an idle worker must not be stopped after all, as its row is now: a lab runs on it, or
   * its controller could not be asked, so nobody knows whether one does.
   */
  private async keepsRunning(workerId: string): Promise<string | null> {
    const worker = await this.workers.findById(workerId);
    if (!worker) {
      return 'the worker is no longer registered';
    }
    if (worker.cmlStatus !== CmlServiceStatus.AVAILABLE) {
      return `CML could not be asked (status ${worker.cmlStatus}): a worker is stopped only when its controller says no lab runs`;
    }
    if ((worker.labsRunning ?? 0) > 0 || (worker.nodesRunning ?? 0) > 0) {
      return `${worker.labsRunning ?? 0} lab(s) and ${worker.nodesRunning ?? 0} node(s) running`;
    }
    // The row is up to a poll old: a class may have started its lab since.
    const now = (await this.controllers?.observe([worker]))?.get(worker.id);
    if (!now || now.status !== CmlServiceStatus.AVAILABLE) {
      return `CML could not be asked just before the stop (status ${now?.status ?? CmlServiceStatus.UNKNOWN}): a worker is stopped only when its controller says no lab runs`;
    }
    const labs = now.labs?.labsRunning ?? 0;
    const nodes = now.labs?.nodesRunning ?? 0;
    return labs > 0 || nodes > 0
      ? `${labs} lab(s) and ${nodes} node(s) running when asked just before the stop`
      : null;
  }

  private async record(
    alert: Alert,
    action: WorkerAction,
    outcome: RemediationOutcome,
    detail: string | null,
  ): Promise<void> {
    await this.attempts.insert({
      alertId: alert.id,
      workerId: alert.workerId,
      action,
      outcome,
      detail,
      attemptedAt: this.now(),
    });
  }
}

function actionFor(kind: AlertKind): WorkerAction | null {
  switch (kind) {
    case AlertKind.STOPPED_UNEXPECTEDLY:
      return WorkerAction.START;
    case AlertKind.IDLE:
      return WorkerAction.STOP;
    case AlertKind.CPU_HIGH:
    case AlertKind.MEMORY_HIGH:
    case AlertKind.STATUS_CHECK_FAILED:
    case AlertKind.TERMINATED:
    case AlertKind.CML_UNAVAILABLE:
    case AlertKind.LICENSE_INVALID:
    case AlertKind.LICENSE_EXPIRING:
      return null;
  }
}
