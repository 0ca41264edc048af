import type { DataSource } from 'typeorm';
import { AlertNotificationRepository } from './alert-notification.repository';
import { AlertRemediationRepository } from './alert-remediation.repository';
import { AlertRepository } from './alert.repository';
import { AuditEventRepository } from './audit-event.repository';
import { MetricSampleRepository } from './metric-sample.repository';
import { NotificationGroupRepository } from './notification-group.repository';
import { SilenceRepository } from './silence.repository';
import { WorkerRepository } from './worker.repository';
import { WorkerStatusTransitionRepository } from './worker-status-transition.repository';

/** One repository per table, each the only writer of its table. */
export interface Repositories {
  workers: WorkerRepository;
  samples: MetricSampleRepository;
  alerts: AlertRepository;
  notifications: AlertNotificationRepository;
  notificationGroups: NotificationGroupRepository;
  remediations: AlertRemediationRepository;
  silences: SilenceRepository;
  transitions: WorkerStatusTransitionRepository;
  auditEvents: AuditEventRepository;
}

export function createRepositories(dataSource: DataSource): Repositories {
  return {
    workers: new WorkerRepository(dataSource),
    samples: new MetricSampleRepository(dataSource),
    alerts: new AlertRepository(dataSource),
    notifications: new AlertNotificationRepository(dataSource),
    notificationGroups: new NotificationGroupRepository(),
    remediations: new AlertRemediationRepository(dataSource),
    silences: new SilenceRepository(dataSource),
    transitions: new WorkerStatusTransitionRepository(dataSource),
    auditEvents: new AuditEventRepository(dataSource),
  };
}
