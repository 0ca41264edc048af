import type { DataSource, Repository } from 'typeorm';
import { Alert } from '../../entities/alert.entity';
import { AlertNotification } from '../../entities/alert-notification.entity';
import { AlertKind, AlertState } from '../../entities/alert.enums';
import { AlertRemediation } from '../../entities/alert-remediation.entity';
import { newestFirstPage, Page } from '../../repositories/pagination';
import { isUuid } from '../../lib/uuid';
import { groupBy } from '../../lib/maps';

export interface AlertQuery {
  filter?: { workerId?: string; state?: AlertState; kind?: AlertKind[] };
  first: number;
  after?: string;
}

export interface WorkerAlertRange {
  state?: AlertState | null;
  limit: number;
}

/** Reads of stored alerts for the API, each batched over a page of parents. */
export class AlertHistoryService {
  private readonly alerts: Repository<Alert>;
  private readonly deliveries: Repository<AlertNotification>;
  private readonly remediations: Repository<AlertRemediation>;

  constructor(dataSource: DataSource) {
    this.alerts = dataSource.getRepository(Alert);
    this.deliveries = dataSource.getRepository(AlertNotification);
    this.remediations = dataSource.getRepository(AlertRemediation);
  }

  /** Newest first, by (startedAt, id). */
  async list(query: AlertQuery): Promise<Page<Alert>> {
    const { workerId, state, kind } = query.filter ?? {};
    if (workerId !== undefined && workerId !== null && !isUuid(workerId)) {
      return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
    }
    const filtered = this.alerts.createQueryBuilder('alert');
    if (workerId) {
      filtered.andWhere('alert.workerId = :workerId', { workerId });
    }
    if (state) {
      filtered.andWhere('alert.state = :state', { state });
    }
    if (kind && kind.length > 0) {
      filtered.andWhere('alert.kind IN (:...kind)', { kind });
    }
    return newestFirstPage(filtered, 'startedAt', query);
  }

  /** The newest alerts of each worker, in one statement for all of them. */
  async newestOf(workerIds: readonly string[], range: WorkerAlertRange): Promise<Alert[][]> {
    const rows: Alert[] = await this.alerts.query(NEWEST_ALERTS, [
      workerIds,
      range.state ?? null,
      range.limit,
    ]);
    return groupByKey(workerIds, this.alerts.create(rows), (alert) => alert.workerId);
  }

  async deliveriesOf(alertIds: readonly string[]): Promise<AlertNotification[][]> {
    const rows = await this.deliveries
      .createQueryBuilder('n')
      .where('n.alertId IN (:...alertIds)', { alertIds })
      .orderBy('n.createdAt', 'ASC')
      .addOrderBy('n.receiver', 'ASC')
      .getMany();
    return groupByKey(alertIds, rows, (row) => row.alertId);
  }

  async remediationsOf(alertIds: readonly string[]): Promise<AlertRemediation[][]> {
    const rows = await this.remediations
      .createQueryBuilder('r')
      .where('r.alertId IN (:...alertIds)', { alertIds })
      .orderBy('r.attemptedAt', 'ASC')
      .getMany();
    return groupByKey(alertIds, rows, (row) => row.alertId);
  }
}

/** One group per key, in the order of `keys`; a key no row has gets an empty one. */
function groupByKey<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = groupBy(rows, keyOf);
  return keys.map((key) => groups.get(key) ?? []);
}

const NEWEST_ALERTS = `
  SELECT alert.*
  FROM unnest($1::uuid[]) AS requested(id)
  CROSS JOIN LATERAL (
    SELECT * FROM alert AS a
    WHERE a."workerId" = requested.id AND ($2::alert_state IS NULL OR a.state = $2)
    ORDER BY a."startedAt" DESC, a.id DESC
    LIMIT $3
  ) AS alert`;
