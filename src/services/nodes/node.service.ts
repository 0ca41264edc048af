import type { Alert } from '../../entities/alert.entity';
import type { AuditEvent } from '../../entities/audit-event.entity';
import type { Silence } from '../../entities/silence.entity';
import type { Worker } from '../../entities/worker.entity';
import type { AlertRepository } from '../../repositories/alert.repository';
import type { AuditEventRepository } from '../../repositories/audit-event.repository';
import type { SilenceRepository } from '../../repositories/silence.repository';
import type { WorkerRepository } from '../../repositories/worker.repository';

/** An object `node(id)` can answer, with the type that holds it. */
export type FoundNode =
  | { type: 'Worker'; node: Worker }
  | { type: 'Alert'; node: Alert }
  | { type: 'Silence'; node: Silence }
  | { type: 'AuditEvent'; node: AuditEvent };

export type NodeType = FoundNode['type'];

export interface NodeStores {
  workers: Pick<WorkerRepository, 'findByIds'>;
  alerts: Pick<AlertRepository, 'findByIds'>;
  silences: Pick<SilenceRepository, 'findByIds'>;
  auditEvents: Pick<AuditEventRepository, 'findByIds'>;
}

/** Finds objects by id alone: ids are UUIDs, so at most one table holds each. */
export class NodeService {
  constructor(private readonly stores: NodeStores) {}

  /**
   * In the order asked, null for an id no table holds (one that is no UUID included). One
   * statement per table, however many ids: the tables are asked at once, each by primary key.
   */
  async findByIds(ids: readonly string[]): Promise<(FoundNode | null)[]> {
    const [workers, alerts, silences, auditEvents] = await Promise.all([
      this.stores.workers.findByIds(ids),
      this.stores.alerts.findByIds(ids),
      this.stores.silences.findByIds(ids),
      this.stores.auditEvents.findByIds(ids),
    ]);
    return ids.map((_, index) => {
      const worker = workers[index];
      const alert = alerts[index];
      const silence = silences[index];
      const auditEvent = auditEvents[index];
      if (worker) {
        return { type: 'Worker', node: worker };
      }
      if (alert) {
        return { type: 'Alert', node: alert };
      }
      if (silence) {
        return { type: 'Silence', node: silence };
      }
      return auditEvent ? { type: 'AuditEvent', node: auditEvent } : null;
    });
  }
}
