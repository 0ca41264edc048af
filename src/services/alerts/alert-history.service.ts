import type { Alert, AlertColumn, AlertRow } from '../../entities/alert.entity';
import type { AlertNotification } from '../../entities/alert-notification.entity';
import type { AlertRemediation } from '../../entities/alert-remediation.entity';
import type { AlertNotificationRepository } from '../../repositories/alert-notification.repository';
import type { AlertRemediationRepository } from '../../repositories/alert-remediation.repository';
import type {
  AlertListQuery,
  AlertRepository,
  WorkerAlertRange,
} from '../../repositories/alert.repository';
import type { Page } from '../../repositories/pagination';

export type { AlertListQuery as AlertQuery, WorkerAlertRange };

/** Reads of stored alerts for the API, each batched over a page of parents. */
export class AlertHistoryService {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly deliveries: AlertNotificationRepository,
    private readonly remediations: AlertRemediationRepository,
  ) {}

  /** Newest first, by (startedAt, id). */
  list(query: AlertListQuery, columns: readonly AlertColumn[] | null = null): Promise<Page<Alert>> {
    return this.alerts.list(query, columns);
  }

  /** The newest alerts of each worker, in one statement for all of them. */
  newestOf(workerIds: readonly string[], range: WorkerAlertRange): Promise<AlertRow[][]> {
    return this.alerts.newestOf(workerIds, range);
  }

  deliveriesOf(alertIds: readonly string[]): Promise<AlertNotification[][]> {
    return this.deliveries.ofAlerts(alertIds);
  }

  remediationsOf(alertIds: readonly string[]): Promise<AlertRemediation[][]> {
    return this.remediations.ofAlerts(alertIds);
  }
}
