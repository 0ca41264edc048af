import DataLoader from 'dataloader';
import type { AuthContext } from '../auth/auth-checker';
import type { Principal } from '../auth/principal';
import type { AlertRow } from '../entities/alert.entity';
import type { AlertNotification } from '../entities/alert-notification.entity';
import type { AlertRemediation } from '../entities/alert-remediation.entity';
import type { MetricSampleRow } from '../entities/metric-sample.entity';
import type { Worker } from '../entities/worker.entity';
import type { WorkerStatusTransition } from '../entities/worker-status-transition.entity';
import type {
  AlertHistoryService,
  WorkerAlertRange,
} from '../services/alerts/alert-history.service';
import type {
  MetricHistoryService,
  SampleRange,
  SeriesBucket,
  SeriesWindow,
} from '../services/history/metric-history.service';
import type {
  StatusHistoryService,
  TransitionRange,
} from '../services/history/status-history.service';
import type { WorkerService } from '../services/workers/worker.service';
import { withBudgetSlot, withinBudget } from './operation-budget';

/** Per request: the loaders that batch field resolution over a page of parents. */
export interface RequestContext extends AuthContext {
  principal: Principal | null;
  samplesOf(range: SampleRange): DataLoader<string, MetricSampleRow[]>;
  seriesOf(window: SeriesWindow): DataLoader<string, SeriesBucket[]>;
  alertsOf(range: WorkerAlertRange): DataLoader<string, AlertRow[]>;
  statusHistoryOf(range: TransitionRange): DataLoader<string, WorkerStatusTransition[]>;
  workers: DataLoader<string, Worker | null>;
  deliveries: DataLoader<string, AlertNotification[]>;
  remediations: DataLoader<string, AlertRemediation[]>;
}

export interface ContextServices {
  metricHistory: MetricHistoryService;
  alertHistory: AlertHistoryService;
  statusHistory: StatusHistoryService;
  workerService: WorkerService;
}

/**
 * A subscription keeps its context for all its events, so loaders whose rows change over time
 * batch without caching: each event reads what is current.
 */
const uncached = { cache: false } as const;

export function createRequestContext(
  { metricHistory, alertHistory, statusHistory, workerService }: ContextServices,
  principal: Principal | null,
): RequestContext {
  const context: RequestContext = {
    principal,
    // Aliased fields may ask different ranges; parents asking the same one share a statement.
    samplesOf: byRange(
      (range: SampleRange) => [range.since, range.until, range.limit, range.columns],
      (range) =>
        new DataLoader((workerIds) =>
          withinBudget(context, () => metricHistory.newestSamples(workerIds, range)),
        ),
    ),
    // Until unset is now as the batch sees it: every parent of the page shares one statement.
    seriesOf: byRange(
      (window: SeriesWindow) => [window.since, window.until, window.resolution, window.figures],
      (window) =>
        new DataLoader(
          (workerIds) => withinBudget(context, () => metricHistory.series(workerIds, window)),
          uncached,
        ),
    ),
    alertsOf: byRange(
      (range: WorkerAlertRange) => [range.state, range.limit, range.columns],
      (range) =>
        new DataLoader(
          (workerIds) => withinBudget(context, () => alertHistory.newestOf(workerIds, range)),
          uncached,
        ),
    ),
    statusHistoryOf: byRange(
      (range: TransitionRange) => [range.since, range.limit],
      (range) =>
        new DataLoader(
          (workerIds) =>
            withinBudget(context, () => statusHistory.newestTransitions(workerIds, range)),
          uncached,
        ),
    ),
    workers: new DataLoader(
      (ids) => withinBudget(context, () => workerService.findByIds(ids)),
      uncached,
    ),
    deliveries: new DataLoader(
      (ids) => withinBudget(context, () => alertHistory.deliveriesOf(ids)),
      uncached,
    ),
    remediations: new DataLoader(
      (ids) => withinBudget(context, () => alertHistory.remediationsOf(ids)),
      uncached,
    ),
  };
  return withBudgetSlot(context);
}

function byRange<Range, Value>(
  keyOf: (range: Range) => unknown[],
  create: (range: Range) => DataLoader<string, Value>,
): (range: Range) => DataLoader<string, Value> {
  const loaders = new Map<string, DataLoader<string, Value>>();
  return (range) => {
    const key = JSON.stringify(keyOf(range));
    let loader = loaders.get(key);
    if (!loader) {
      loader = create(range);
      loaders.set(key, loader);
    }
    return loader;
  };
}
