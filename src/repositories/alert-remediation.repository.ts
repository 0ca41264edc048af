import { type DataSource, MoreThanOrEqual, Not, type Repository } from 'typeorm';
import { AlertRemediation } from '../entities/alert-remediation.entity';
import { RemediationOutcome, WorkerAction } from '../entities/alert.enums';
import { groupBy } from '../lib/maps';

export type NewRemediation = Pick<
  AlertRemediation,
  'alertId' | 'workerId' | 'action' | 'outcome' | 'detail' | 'attemptedAt'
>;

/** The only writer of `alert_remediation`: what was done about an alert, once per alert. */
export class AlertRemediationRepository {
  private readonly attempts: Repository<AlertRemediation>;

  constructor(dataSource: DataSource) {
    this.attempts = dataSource.getRepository(AlertRemediation);
  }

  existsForAlert(alertId: string): Promise<boolean> {
    return this.attempts.existsBy({ alertId });
  }

  /** Restarts tried (skipped ones aside) for the worker since `since`. */
  countRestartsSince(workerId: string, since: Date): Promise<number> {
    return this.attempts.countBy({
      workerId,
      action: WorkerAction.START,
      outcome: Not(RemediationOutcome.SKIPPED),
      attemptedAt: MoreThanOrEqual(since),
    });
  }

  async insert(attempt: NewRemediation): Promise<void> {
    await this.attempts.insert(attempt);
  }

  async ofAlerts(alertIds: readonly string[]): Promise<AlertRemediation[][]> {
    const rows = await this.attempts
      .createQueryBuilder('r')
      .where('r.alertId IN (:...alertIds)', { alertIds })
      .orderBy('r.attemptedAt', 'ASC')
      .getMany();
    const groups = groupBy(rows, (row) => row.alertId);
    return alertIds.map((id) => groups.get(id) ?? []);
  }
}
