import { CreateWorker1763900000000 } from './1763900000000-create-worker';
import { AddMonitoring1764000000000 } from './1764000000000-add-monitoring';
import { AddAlerts1764100000000 } from './1764100000000-add-alerts';
import { ResolveTerminatedAlerts1764200000000 } from './1764200000000-resolve-terminated-alerts';
import { AddCml1764300000000 } from './1764300000000-add-cml';
import { AddSilences1764400000000 } from './1764400000000-add-silences';
import { GroupNotifications1764410000000 } from './1764410000000-group-notifications';
import { StatusHistory1764500000000 } from './1764500000000-status-history';
import { AuditEvents1764510000000 } from './1764510000000-audit-events';
import { SampleValuesIndex1764520000000 } from './1764520000000-sample-values-index';

/** Every migration, oldest first. */
export const migrations = [
  CreateWorker1763900000000,
  AddMonitoring1764000000000,
  AddAlerts1764100000000,
  ResolveTerminatedAlerts1764200000000,
  AddCml1764300000000,
  AddSilences1764400000000,
  GroupNotifications1764410000000,
  StatusHistory1764500000000,
  AuditEvents1764510000000,
  SampleValuesIndex1764520000000,
];
