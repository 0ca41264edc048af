/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AlertEventType =
  | 'ACKNOWLEDGED'
  | 'FIRING'
  | 'REMINDER'
  | 'RESOLVED';

export type AlertKind =
  /** EC2 says running and its checks pass, but the CML API has failed for consecutive polls. */
  | 'CML_UNAVAILABLE'
  | 'CPU_HIGH'
  /** No lab running (and CPU low) for the configured time. */
  | 'IDLE'
  /** The CML license expires within the configured warning period. */
  | 'LICENSE_EXPIRING'
  /** The CML license is not registered or out of compliance. */
  | 'LICENSE_INVALID'
  | 'MEMORY_HIGH'
  | 'STATUS_CHECK_FAILED'
  | 'STOPPED_UNEXPECTEDLY'
  | 'TERMINATED';

export type AlertSeverity =
  | 'CRITICAL'
  | 'INFO'
  | 'WARNING';

export type AlertState =
  | 'FIRING'
  | 'RESOLVED';

export type AuditEventFilter = {
  actor?: string | null | undefined;
  operations?: Array<string> | null | undefined;
  outcome?: AuditOutcome | null | undefined;
  since?: string | null | undefined;
  workerId?: string | number | null | undefined;
};

export type AuditOutcome =
  | 'FAILED'
  | 'SUCCEEDED';

export type ChangeSource =
  /** A mutation asked for it. */
  | 'MUTATION'
  /** The service acted on its own (auto-remediation, idle policy). */
  | 'POLICY'
  /** A scheduled or requested poll saw it. */
  | 'POLL';

/** EC2 status check result: OK, IMPAIRED, INITIALIZING, INSUFFICIENT_DATA or NOT_APPLICABLE. */
export type CheckStatus =
  | 'IMPAIRED'
  | 'INITIALIZING'
  | 'INSUFFICIENT_DATA'
  | 'NOT_APPLICABLE'
  | 'OK';

/** CML credentials of this worker alone, stored encrypted (CML_CREDENTIALS_KEY) and never returned. */
export type CmlCredentialsInput = {
  password: string;
  username: string;
};

/** The CML controller's API on a worker, as the last poll saw it. */
export type CmlServiceStatus =
  /** The API answered. */
  | 'AVAILABLE'
  /** The API answered with an error, or refused the configured credentials. */
  | 'ERROR'
  /** The instance is not running, so there is nothing to ask. */
  | 'NOT_APPLICABLE'
  /** The instance runs but the API did not answer (refused, timed out, TLS failed). */
  | 'UNAVAILABLE'
  /** Not polled yet. */
  | 'UNKNOWN';

/** Matchers left out match everything; the ones given must all match. */
export type CreateSilenceInput = {
  comment: string;
  endsAt: string;
  matchers: SilenceMatchersInput;
  /** Now when omitted. */
  startsAt?: string | null | undefined;
};

/** Launch a new EC2 instance and register it. Unset fields take configured defaults. */
export type CreateWorkerInput = {
  amiId?: string | null | undefined;
  awsRegion?: string | null | undefined;
  /** Null on update: the worker uses the fleet-wide CML_USERNAME and CML_PASSWORD. */
  cmlCredentials?: CmlCredentialsInput | null | undefined;
  /** Base URL of the worker's CML controller, e.g. https://cml-01.lab.example.com; null derives it from the instance (CML_ENDPOINT_FROM). */
  cmlEndpoint?: string | null | undefined;
  instanceType?: string | null | undefined;
  name: string;
  thresholds?: ThresholdsInput | null | undefined;
};

export type DeliveryState =
  | 'DELIVERED'
  | 'FAILED'
  | 'PENDING';

/** Register an existing EC2 instance. Importing the same instance twice is a CONFLICT. */
export type ImportWorkerInput = {
  awsInstanceId: string;
  awsRegion?: string | null | undefined;
  /** Null on update: the worker uses the fleet-wide CML_USERNAME and CML_PASSWORD. */
  cmlCredentials?: CmlCredentialsInput | null | undefined;
  /** Base URL of the worker's CML controller, e.g. https://cml-01.lab.example.com; null derives it from the instance (CML_ENDPOINT_FROM). */
  cmlEndpoint?: string | null | undefined;
  name?: string | null | undefined;
  thresholds?: ThresholdsInput | null | undefined;
};

export type InstanceDiscoveryFilter = {
  awsRegion?: string | null | undefined;
  /** Also list instances that are already registered (with their worker). */
  includeRegistered?: boolean | null | undefined;
  tags?: Array<TagFilter> | null | undefined;
};

/** CloudEvents webhook, Slack incoming webhook, PagerDuty Events API v2, Opsgenie Alert API v2, or email over SMTP. */
export type ReceiverKind =
  | 'CLOUDEVENTS'
  | 'EMAIL'
  | 'OPSGENIE'
  | 'PAGERDUTY'
  | 'SLACK';

/** What a caller may do. An operator may do everything a viewer may. */
export type Role =
  | 'OPERATOR'
  | 'VIEWER';

export type SilenceMatchersInput = {
  awsRegion?: string | null | undefined;
  kinds?: Array<AlertKind> | null | undefined;
  /** Case-insensitive substring of the worker's name. */
  nameContains?: string | null | undefined;
  severities?: Array<AlertSeverity> | null | undefined;
  workerIds?: Array<string | number> | null | undefined;
};

export type SilenceState =
  | 'ACTIVE'
  | 'EXPIRED'
  | 'PENDING';

export type TagFilter = {
  key: string;
  /** Any of these values; any value when omitted. */
  values?: Array<string> | null | undefined;
};

export type ThresholdsInput = {
  cpu?: number | null | undefined;
  memory?: number | null | undefined;
};

export type UpdateWorkerInput = {
  /** Null on update: the worker uses the fleet-wide CML_USERNAME and CML_PASSWORD. */
  cmlCredentials?: CmlCredentialsInput | null | undefined;
  /** Base URL of the worker's CML controller, e.g. https://cml-01.lab.example.com; null derives it from the instance (CML_ENDPOINT_FROM). */
  cmlEndpoint?: string | null | undefined;
  monitoringEnabled?: boolean | null | undefined;
  name?: string | null | undefined;
  thresholds?: ThresholdsInput | null | undefined;
};

/** EC2 instance state, as the worker last saw it. */
export type WorkerStatus =
  | 'PENDING'
  | 'RUNNING'
  | 'SHUTTING_DOWN'
  | 'STOPPED'
  | 'STOPPING'
  | 'TERMINATED'
  | 'UNKNOWN';

export type AlertRowFragment = { id: string, workerId: string, kind: AlertKind, state: AlertState, severity: AlertSeverity, silenced: boolean, value: number | null, threshold: number | null, message: string, resolution: string | null, resolvedValue: number | null, startedAt: string, resolvedAt: string | null, acknowledgedAt: string | null, worker: { id: string, name: string, awsRegion: string } | null };

export type DashboardAlertsQueryVariables = Exact<{
  state: AlertState;
  first: number;
  after?: string | null | undefined;
}>;


export type DashboardAlertsQuery = { alerts: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, workerId: string, kind: AlertKind, state: AlertState, severity: AlertSeverity, silenced: boolean, value: number | null, threshold: number | null, message: string, resolution: string | null, resolvedValue: number | null, startedAt: string, resolvedAt: string | null, acknowledgedAt: string | null, worker: { id: string, name: string, awsRegion: string } | null } }> } };

export type DashboardThresholdAlertSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashboardThresholdAlertSubscription = { thresholdAlert: { id: string, workerId: string, kind: AlertKind, state: AlertState, severity: AlertSeverity, silenced: boolean, value: number | null, threshold: number | null, message: string, resolution: string | null, resolvedValue: number | null, startedAt: string, resolvedAt: string | null, acknowledgedAt: string | null, worker: { id: string, name: string, awsRegion: string } | null } };

export type DashboardAcknowledgeAlertMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardAcknowledgeAlertMutation = { acknowledgeAlert: { id: string, workerId: string, kind: AlertKind, state: AlertState, severity: AlertSeverity, silenced: boolean, value: number | null, threshold: number | null, message: string, resolution: string | null, resolvedValue: number | null, startedAt: string, resolvedAt: string | null, acknowledgedAt: string | null, worker: { id: string, name: string, awsRegion: string } | null } };

export type WorkerRowFragment = { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastTransitionAt: string | null, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number }, pollError: { message: string, occurredAt: string, consecutiveFailures: number } | null, cml: { status: CmlServiceStatus, error: string | null, labsRunning: number | null, nodesRunning: number | null } };

export type CmlRowFragment = { status: CmlServiceStatus, error: string | null, labsRunning: number | null, nodesRunning: number | null };

export type SamplePointFragment = { status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, collectedAt: string };

export type MonitoringHealthFragment = { enabled: boolean, pollIntervalSeconds: number, jobs: { scheduled: number, running: number, overdue: number }, lastCycle: { finishedAt: string } | null };

export type DashboardViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardViewerQuery = { viewer: { name: string, roles: Array<Role>, authenticationEnabled: boolean }, monitoringStatus: { enabled: boolean, pollIntervalSeconds: number, jobs: { scheduled: number, running: number, overdue: number }, lastCycle: { finishedAt: string } | null } };

export type DashboardMonitoringStatusQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardMonitoringStatusQuery = { monitoringStatus: { enabled: boolean, pollIntervalSeconds: number, jobs: { scheduled: number, running: number, overdue: number }, lastCycle: { finishedAt: string } | null } };

export type DashboardFleetQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type DashboardFleetQuery = { workers: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastTransitionAt: string | null, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number }, pollError: { message: string, occurredAt: string, consecutiveFailures: number } | null, cml: { status: CmlServiceStatus, error: string | null, labsRunning: number | null, nodesRunning: number | null } } }> } };

export type DashboardSparklinesQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  since: string;
  limit: number;
}>;


export type DashboardSparklinesQuery = { workers: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, metrics: Array<{ status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, collectedAt: string }> } }> } };

export type DashboardWorkerMetricsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashboardWorkerMetricsSubscription = { workerMetrics: { workerId: string, cmlStatus: CmlServiceStatus | null, labsRunning: number | null, nodesRunning: number | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, collectedAt: string, statusChecks: { system: CheckStatus, instance: CheckStatus } | null } };

export type DashboardWorkerStatusSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashboardWorkerStatusSubscription = { workerStatusChanged: { workerId: string, previousStatus: WorkerStatus, status: WorkerStatus, changedAt: string, source: ChangeSource, actor: string | null } };

export type SeriesBucketFragment = { startsAt: string, samples: number, cpuMin: number | null, cpuAvg: number | null, cpuMax: number | null, memoryMin: number | null, memoryAvg: number | null, memoryMax: number | null };

export type DashboardWorkerSeriesQueryVariables = Exact<{
  id: string | number;
  since: string;
}>;


export type DashboardWorkerSeriesQuery = { worker: { id: string, metricSeries: Array<{ startsAt: string, samples: number, cpuMin: number | null, cpuAvg: number | null, cpuMax: number | null, memoryMin: number | null, memoryAvg: number | null, memoryMax: number | null }>, newest: Array<{ collectedAt: string }> } | null };

export type StatusTransitionFragment = { previousStatus: WorkerStatus, status: WorkerStatus, changedAt: string, source: ChangeSource, actor: string | null };

export type DashboardWorkerPollFailedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashboardWorkerPollFailedSubscription = { workerPollFailed: { workerId: string, message: string, consecutiveFailures: number, occurredAt: string } };

export type AuditRowFragment = { id: string, at: string, actor: string, operation: string, workerId: string | null, outcome: AuditOutcome, errorCode: string | null, summary: string };

export type DashboardAuditEventsQueryVariables = Exact<{
  filter?: AuditEventFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type DashboardAuditEventsQuery = { auditEvents: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, at: string, actor: string, operation: string, workerId: string | null, outcome: AuditOutcome, errorCode: string | null, summary: string } }> } };

export type DashboardDiscoverInstancesQueryVariables = Exact<{
  filter?: InstanceDiscoveryFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type DashboardDiscoverInstancesQuery = { discoverInstances: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { awsInstanceId: string, awsRegion: string, name: string | null, instanceType: string | null, status: WorkerStatus, launchedAt: string | null, tags: Array<{ key: string, value: string }> } }> } };

export type DashboardImportWorkersMutationVariables = Exact<{
  inputs: Array<ImportWorkerInput> | ImportWorkerInput;
}>;


export type DashboardImportWorkersMutation = { importWorkers: { imported: Array<{ id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastTransitionAt: string | null, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number }, pollError: { message: string, occurredAt: string, consecutiveFailures: number } | null, cml: { status: CmlServiceStatus, error: string | null, labsRunning: number | null, nodesRunning: number | null } }>, failed: Array<{ awsInstanceId: string, code: string, message: string }> } };

export type SilenceRowFragment = { id: string, startsAt: string, endsAt: string, comment: string, createdBy: string, createdAt: string, state: SilenceState, matchers: { workerIds: Array<string> | null, nameContains: string | null, awsRegion: string | null, kinds: Array<AlertKind> | null, severities: Array<AlertSeverity> | null } };

export type DashboardSilencesQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardSilencesQuery = { active: Array<{ id: string, startsAt: string, endsAt: string, comment: string, createdBy: string, createdAt: string, state: SilenceState, matchers: { workerIds: Array<string> | null, nameContains: string | null, awsRegion: string | null, kinds: Array<AlertKind> | null, severities: Array<AlertSeverity> | null } }>, pending: Array<{ id: string, startsAt: string, endsAt: string, comment: string, createdBy: string, createdAt: string, state: SilenceState, matchers: { workerIds: Array<string> | null, nameContains: string | null, awsRegion: string | null, kinds: Array<AlertKind> | null, severities: Array<AlertSeverity> | null } }>, expired: Array<{ id: string, startsAt: string, endsAt: string, comment: string, createdBy: string, createdAt: string, state: SilenceState, matchers: { workerIds: Array<string> | null, nameContains: string | null, awsRegion: string | null, kinds: Array<AlertKind> | null, severities: Array<AlertSeverity> | null } }> };

export type DashboardCreateSilenceMutationVariables = Exact<{
  input: CreateSilenceInput;
}>;


export type DashboardCreateSilenceMutation = { createSilence: { id: string, startsAt: string, endsAt: string, comment: string, createdBy: string, createdAt: string, state: SilenceState, matchers: { workerIds: Array<string> | null, nameContains: string | null, awsRegion: string | null, kinds: Array<AlertKind> | null, severities: Array<AlertSeverity> | null } } };

export type DashboardExpireSilenceMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardExpireSilenceMutation = { expireSilence: { id: string, startsAt: string, endsAt: string, comment: string, createdBy: string, createdAt: string, state: SilenceState, matchers: { workerIds: Array<string> | null, nameContains: string | null, awsRegion: string | null, kinds: Array<AlertKind> | null, severities: Array<AlertSeverity> | null } } };

export type DashboardWorkerDetailQueryVariables = Exact<{
  id: string | number;
  historyLimit: number;
}>;


export type DashboardWorkerDetailQuery = { worker: { createdAt: string, cmlEndpoint: string | null, hasOwnCmlCredentials: boolean, id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastTransitionAt: string | null, cml: { version: string | null, ready: boolean | null, checkedAt: string | null, labsTotal: number | null, nodesTotal: number | null, status: CmlServiceStatus, error: string | null, labsRunning: number | null, nodesRunning: number | null, license: { registrationStatus: string | null, authorizationStatus: string | null, expiresAt: string | null, valid: boolean } | null }, labs: Array<{ id: string, title: string, state: string, running: boolean, owner: string | null, nodeCount: number, modifiedAt: string | null }>, statusHistory: Array<{ previousStatus: WorkerStatus, status: WorkerStatus, changedAt: string, source: ChangeSource, actor: string | null }>, alerts: Array<{ id: string, workerId: string, kind: AlertKind, state: AlertState, severity: AlertSeverity, silenced: boolean, value: number | null, threshold: number | null, message: string, resolution: string | null, resolvedValue: number | null, startedAt: string, resolvedAt: string | null, acknowledgedAt: string | null, deliveries: Array<{ id: string, receiver: string, receiverKind: ReceiverKind, event: AlertEventType, state: DeliveryState, attempts: number, lastError: string | null, lastAttemptAt: string | null, deliveredAt: string | null }>, worker: { id: string, name: string, awsRegion: string } | null }>, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number }, pollError: { message: string, occurredAt: string, consecutiveFailures: number } | null } | null };

export type DashboardStartWorkerMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardStartWorkerMutation = { startWorker: { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastTransitionAt: string | null, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number }, pollError: { message: string, occurredAt: string, consecutiveFailures: number } | null, cml: { status: CmlServiceStatus, error: string | null, labsRunning: number | null, nodesRunning: number | null } } };

export type DashboardStopWorkerMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardStopWorkerMutation = { stopWorker: { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastTransitionAt: string | null, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number }, pollError: { message: string, occurredAt: string, consecutiveFailures: number } | null, cml: { status: CmlServiceStatus, error: string | null, labsRunning: number | null, nodesRunning: number | null } } };

export type DashboardRefreshWorkerMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardRefreshWorkerMutation = { refreshWorker: { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastTransitionAt: string | null, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number }, pollError: { message: string, occurredAt: string, consecutiveFailures: number } | null, cml: { status: CmlServiceStatus, error: string | null, labsRunning: number | null, nodesRunning: number | null } } };

export type DashboardTerminateWorkerMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardTerminateWorkerMutation = { terminateWorker: { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastTransitionAt: string | null, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number }, pollError: { message: string, occurredAt: string, consecutiveFailures: number } | null, cml: { status: CmlServiceStatus, error: string | null, labsRunning: number | null, nodesRunning: number | null } } };

export type DashboardCreateWorkerMutationVariables = Exact<{
  input: CreateWorkerInput;
}>;


export type DashboardCreateWorkerMutation = { createWorker: { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastTransitionAt: string | null, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number }, pollError: { message: string, occurredAt: string, consecutiveFailures: number } | null, cml: { status: CmlServiceStatus, error: string | null, labsRunning: number | null, nodesRunning: number | null } } };

export type DashboardImportWorkerMutationVariables = Exact<{
  input: ImportWorkerInput;
}>;


export type DashboardImportWorkerMutation = { importWorker: { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastTransitionAt: string | null, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number }, pollError: { message: string, occurredAt: string, consecutiveFailures: number } | null, cml: { status: CmlServiceStatus, error: string | null, labsRunning: number | null, nodesRunning: number | null } } };

export type DashboardUpdateWorkerMutationVariables = Exact<{
  id: string | number;
  input: UpdateWorkerInput;
}>;


export type DashboardUpdateWorkerMutation = { updateWorker: { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastTransitionAt: string | null, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number }, pollError: { message: string, occurredAt: string, consecutiveFailures: number } | null, cml: { status: CmlServiceStatus, error: string | null, labsRunning: number | null, nodesRunning: number | null } } };

export type DashboardRemoveWorkerMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardRemoveWorkerMutation = { removeWorker: boolean };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const AlertRowFragmentDoc = new TypedDocumentString(`
    fragment AlertRow on Alert {
  id
  workerId
  worker {
    id
    name
    awsRegion
  }
  kind
  state
  severity
  silenced
  value
  threshold
  message
  resolution
  resolvedValue
  startedAt
  resolvedAt
  acknowledgedAt
}
    `, {"fragmentName":"AlertRow"}) as unknown as TypedDocumentString<AlertRowFragment, unknown>;
export const CmlRowFragmentDoc = new TypedDocumentString(`
    fragment CmlRow on CmlState {
  status
  error
  labsRunning
  nodesRunning
}
    `, {"fragmentName":"CmlRow"}) as unknown as TypedDocumentString<CmlRowFragment, unknown>;
export const WorkerRowFragmentDoc = new TypedDocumentString(`
    fragment WorkerRow on Worker {
  id
  name
  awsRegion
  awsInstanceId
  instanceType
  status
  statusChecks {
    system
    instance
  }
  cpuUtilization
  memoryUtilization
  thresholds {
    cpu
    memory
  }
  monitoringEnabled
  lastPolledAt
  lastTransitionAt
  pollError {
    message
    occurredAt
    consecutiveFailures
  }
  cml {
    ...CmlRow
  }
}
    fragment CmlRow on CmlState {
  status
  error
  labsRunning
  nodesRunning
}`, {"fragmentName":"WorkerRow"}) as unknown as TypedDocumentString<WorkerRowFragment, unknown>;
export const SamplePointFragmentDoc = new TypedDocumentString(`
    fragment SamplePoint on MetricSample {
  status
  cpuUtilization
  memoryUtilization
  collectedAt
}
    `, {"fragmentName":"SamplePoint"}) as unknown as TypedDocumentString<SamplePointFragment, unknown>;
export const MonitoringHealthFragmentDoc = new TypedDocumentString(`
    fragment MonitoringHealth on MonitoringStatus {
  enabled
  pollIntervalSeconds
  jobs {
    scheduled
    running
    overdue
  }
  lastCycle {
    finishedAt
  }
}
    `, {"fragmentName":"MonitoringHealth"}) as unknown as TypedDocumentString<MonitoringHealthFragment, unknown>;
export const SeriesBucketFragmentDoc = new TypedDocumentString(`
    fragment SeriesBucket on MetricBucket {
  startsAt
  samples
  cpuMin
  cpuAvg
  cpuMax
  memoryMin
  memoryAvg
  memoryMax
}
    `, {"fragmentName":"SeriesBucket"}) as unknown as TypedDocumentString<SeriesBucketFragment, unknown>;
export const StatusTransitionFragmentDoc = new TypedDocumentString(`
    fragment StatusTransition on WorkerStatusTransition {
  previousStatus
  status
  changedAt
  source
  actor
}
    `, {"fragmentName":"StatusTransition"}) as unknown as TypedDocumentString<StatusTransitionFragment, unknown>;
export const AuditRowFragmentDoc = new TypedDocumentString(`
    fragment AuditRow on AuditEvent {
  id
  at
  actor
  operation
  workerId
  outcome
  errorCode
  summary
}
    `, {"fragmentName":"AuditRow"}) as unknown as TypedDocumentString<AuditRowFragment, unknown>;
export const SilenceRowFragmentDoc = new TypedDocumentString(`
    fragment SilenceRow on Silence {
  id
  matchers {
    workerIds
    nameContains
    awsRegion
    kinds
    severities
  }
  startsAt
  endsAt
  comment
  createdBy
  createdAt
  state
}
    `, {"fragmentName":"SilenceRow"}) as unknown as TypedDocumentString<SilenceRowFragment, unknown>;
export const DashboardAlertsDocument = new TypedDocumentString(`
    query DashboardAlerts($state: AlertState!, $first: Int!, $after: String) {
  alerts(filter: {state: $state}, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...AlertRow
      }
    }
  }
}
    fragment AlertRow on Alert {
  id
  workerId
  worker {
    id
    name
    awsRegion
  }
  kind
  state
  severity
  silenced
  value
  threshold
  message
  resolution
  resolvedValue
  startedAt
  resolvedAt
  acknowledgedAt
}`) as unknown as TypedDocumentString<DashboardAlertsQuery, DashboardAlertsQueryVariables>;
export const DashboardThresholdAlertDocument = new TypedDocumentString(`
    subscription DashboardThresholdAlert {
  thresholdAlert {
    ...AlertRow
  }
}
    fragment AlertRow on Alert {
  id
  workerId
  worker {
    id
    name
    awsRegion
  }
  kind
  state
  severity
  silenced
  value
  threshold
  message
  resolution
  resolvedValue
  startedAt
  resolvedAt
  acknowledgedAt
}`) as unknown as TypedDocumentString<DashboardThresholdAlertSubscription, DashboardThresholdAlertSubscriptionVariables>;
export const DashboardAcknowledgeAlertDocument = new TypedDocumentString(`
    mutation DashboardAcknowledgeAlert($id: ID!) {
  acknowledgeAlert(id: $id) {
    ...AlertRow
  }
}
    fragment AlertRow on Alert {
  id
  workerId
  worker {
    id
    name
    awsRegion
  }
  kind
  state
  severity
  silenced
  value
  threshold
  message
  resolution
  resolvedValue
  startedAt
  resolvedAt
  acknowledgedAt
}`) as unknown as TypedDocumentString<DashboardAcknowledgeAlertMutation, DashboardAcknowledgeAlertMutationVariables>;
export const DashboardViewerDocument = new TypedDocumentString(`
    query DashboardViewer {
  viewer {
    name
    roles
    authenticationEnabled
  }
  monitoringStatus {
    ...MonitoringHealth
  }
}
    fragment MonitoringHealth on MonitoringStatus {
  enabled
  pollIntervalSeconds
  jobs {
    scheduled
    running
    overdue
  }
  lastCycle {
    finishedAt
  }
}`) as unknown as TypedDocumentString<DashboardViewerQuery, DashboardViewerQueryVariables>;
export const DashboardMonitoringStatusDocument = new TypedDocumentString(`
    query DashboardMonitoringStatus {
  monitoringStatus {
    ...MonitoringHealth
  }
}
    fragment MonitoringHealth on MonitoringStatus {
  enabled
  pollIntervalSeconds
  jobs {
    scheduled
    running
    overdue
  }
  lastCycle {
    finishedAt
  }
}`) as unknown as TypedDocumentString<DashboardMonitoringStatusQuery, DashboardMonitoringStatusQueryVariables>;
export const DashboardFleetDocument = new TypedDocumentString(`
    query DashboardFleet($first: Int!, $after: String) {
  workers(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...WorkerRow
      }
    }
  }
}
    fragment WorkerRow on Worker {
  id
  name
  awsRegion
  awsInstanceId
  instanceType
  status
  statusChecks {
    system
    instance
  }
  cpuUtilization
  memoryUtilization
  thresholds {
    cpu
    memory
  }
  monitoringEnabled
  lastPolledAt
  lastTransitionAt
  pollError {
    message
    occurredAt
    consecutiveFailures
  }
  cml {
    ...CmlRow
  }
}
fragment CmlRow on CmlState {
  status
  error
  labsRunning
  nodesRunning
}`) as unknown as TypedDocumentString<DashboardFleetQuery, DashboardFleetQueryVariables>;
export const DashboardSparklinesDocument = new TypedDocumentString(`
    query DashboardSparklines($first: Int!, $after: String, $since: DateTime!, $limit: Int!) {
  workers(first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        metrics(since: $since, limit: $limit) {
          ...SamplePoint
        }
      }
    }
  }
}
    fragment SamplePoint on MetricSample {
  status
  cpuUtilization
  memoryUtilization
  collectedAt
}`) as unknown as TypedDocumentString<DashboardSparklinesQuery, DashboardSparklinesQueryVariables>;
export const DashboardWorkerMetricsDocument = new TypedDocumentString(`
    subscription DashboardWorkerMetrics {
  workerMetrics {
    workerId
    statusChecks {
      system
      instance
    }
    cmlStatus
    labsRunning
    nodesRunning
    ...SamplePoint
  }
}
    fragment SamplePoint on MetricSample {
  status
  cpuUtilization
  memoryUtilization
  collectedAt
}`) as unknown as TypedDocumentString<DashboardWorkerMetricsSubscription, DashboardWorkerMetricsSubscriptionVariables>;
export const DashboardWorkerStatusDocument = new TypedDocumentString(`
    subscription DashboardWorkerStatus {
  workerStatusChanged {
    workerId
    previousStatus
    status
    changedAt
    source
    actor
  }
}
    `) as unknown as TypedDocumentString<DashboardWorkerStatusSubscription, DashboardWorkerStatusSubscriptionVariables>;
export const DashboardWorkerSeriesDocument = new TypedDocumentString(`
    query DashboardWorkerSeries($id: ID!, $since: DateTime!) {
  worker(id: $id) {
    id
    metricSeries(since: $since) {
      ...SeriesBucket
    }
    newest: metrics(limit: 1) {
      collectedAt
    }
  }
}
    fragment SeriesBucket on MetricBucket {
  startsAt
  samples
  cpuMin
  cpuAvg
  cpuMax
  memoryMin
  memoryAvg
  memoryMax
}`) as unknown as TypedDocumentString<DashboardWorkerSeriesQuery, DashboardWorkerSeriesQueryVariables>;
export const DashboardWorkerPollFailedDocument = new TypedDocumentString(`
    subscription DashboardWorkerPollFailed {
  workerPollFailed {
    workerId
    message
    consecutiveFailures
    occurredAt
  }
}
    `) as unknown as TypedDocumentString<DashboardWorkerPollFailedSubscription, DashboardWorkerPollFailedSubscriptionVariables>;
export const DashboardAuditEventsDocument = new TypedDocumentString(`
    query DashboardAuditEvents($filter: AuditEventFilter, $first: Int!, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...AuditRow
      }
    }
  }
}
    fragment AuditRow on AuditEvent {
  id
  at
  actor
  operation
  workerId
  outcome
  errorCode
  summary
}`) as unknown as TypedDocumentString<DashboardAuditEventsQuery, DashboardAuditEventsQueryVariables>;
export const DashboardDiscoverInstancesDocument = new TypedDocumentString(`
    query DashboardDiscoverInstances($filter: InstanceDiscoveryFilter, $first: Int!, $after: String) {
  discoverInstances(filter: $filter, first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        awsInstanceId
        awsRegion
        name
        instanceType
        status
        launchedAt
        tags {
          key
          value
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardDiscoverInstancesQuery, DashboardDiscoverInstancesQueryVariables>;
export const DashboardImportWorkersDocument = new TypedDocumentString(`
    mutation DashboardImportWorkers($inputs: [ImportWorkerInput!]!) {
  importWorkers(inputs: $inputs) {
    imported {
      ...WorkerRow
    }
    failed {
      awsInstanceId
      code
      message
    }
  }
}
    fragment WorkerRow on Worker {
  id
  name
  awsRegion
  awsInstanceId
  instanceType
  status
  statusChecks {
    system
    instance
  }
  cpuUtilization
  memoryUtilization
  thresholds {
    cpu
    memory
  }
  monitoringEnabled
  lastPolledAt
  lastTransitionAt
  pollError {
    message
    occurredAt
    consecutiveFailures
  }
  cml {
    ...CmlRow
  }
}
fragment CmlRow on CmlState {
  status
  error
  labsRunning
  nodesRunning
}`) as unknown as TypedDocumentString<DashboardImportWorkersMutation, DashboardImportWorkersMutationVariables>;
export const DashboardSilencesDocument = new TypedDocumentString(`
    query DashboardSilences {
  active: silences(state: ACTIVE) {
    ...SilenceRow
  }
  pending: silences(state: PENDING) {
    ...SilenceRow
  }
  expired: silences(state: EXPIRED) {
    ...SilenceRow
  }
}
    fragment SilenceRow on Silence {
  id
  matchers {
    workerIds
    nameContains
    awsRegion
    kinds
    severities
  }
  startsAt
  endsAt
  comment
  createdBy
  createdAt
  state
}`) as unknown as TypedDocumentString<DashboardSilencesQuery, DashboardSilencesQueryVariables>;
export const DashboardCreateSilenceDocument = new TypedDocumentString(`
    mutation DashboardCreateSilence($input: CreateSilenceInput!) {
  createSilence(input: $input) {
    ...SilenceRow
  }
}
    fragment SilenceRow on Silence {
  id
  matchers {
    workerIds
    nameContains
    awsRegion
    kinds
    severities
  }
  startsAt
  endsAt
  comment
  createdBy
  createdAt
  state
}`) as unknown as TypedDocumentString<DashboardCreateSilenceMutation, DashboardCreateSilenceMutationVariables>;
export const DashboardExpireSilenceDocument = new TypedDocumentString(`
    mutation DashboardExpireSilence($id: ID!) {
  expireSilence(id: $id) {
    ...SilenceRow
  }
}
    fragment SilenceRow on Silence {
  id
  matchers {
    workerIds
    nameContains
    awsRegion
    kinds
    severities
  }
  startsAt
  endsAt
  comment
  createdBy
  createdAt
  state
}`) as unknown as TypedDocumentString<DashboardExpireSilenceMutation, DashboardExpireSilenceMutationVariables>;
export const DashboardWorkerDetailDocument = new TypedDocumentString(`
    query DashboardWorkerDetail($id: ID!, $historyLimit: Int!) {
  worker(id: $id) {
    ...WorkerRow
    createdAt
    cmlEndpoint
    hasOwnCmlCredentials
    cml {
      version
      ready
      checkedAt
      labsTotal
      nodesTotal
      license {
        registrationStatus
        authorizationStatus
        expiresAt
        valid
      }
    }
    labs {
      id
      title
      state
      running
      owner
      nodeCount
      modifiedAt
    }
    statusHistory(limit: $historyLimit) {
      ...StatusTransition
    }
    alerts(limit: 50) {
      ...AlertRow
      deliveries {
        id
        receiver
        receiverKind
        event
        state
        attempts
        lastError
        lastAttemptAt
        deliveredAt
      }
    }
  }
}
    fragment AlertRow on Alert {
  id
  workerId
  worker {
    id
    name
    awsRegion
  }
  kind
  state
  severity
  silenced
  value
  threshold
  message
  resolution
  resolvedValue
  startedAt
  resolvedAt
  acknowledgedAt
}
fragment WorkerRow on Worker {
  id
  name
  awsRegion
  awsInstanceId
  instanceType
  status
  statusChecks {
    system
    instance
  }
  cpuUtilization
  memoryUtilization
  thresholds {
    cpu
    memory
  }
  monitoringEnabled
  lastPolledAt
  lastTransitionAt
  pollError {
    message
    occurredAt
    consecutiveFailures
  }
  cml {
    ...CmlRow
  }
}
fragment CmlRow on CmlState {
  status
  error
  labsRunning
  nodesRunning
}
fragment StatusTransition on WorkerStatusTransition {
  previousStatus
  status
  changedAt
  source
  actor
}`) as unknown as TypedDocumentString<DashboardWorkerDetailQuery, DashboardWorkerDetailQueryVariables>;
export const DashboardStartWorkerDocument = new TypedDocumentString(`
    mutation DashboardStartWorker($id: ID!) {
  startWorker(id: $id) {
    ...WorkerRow
  }
}
    fragment WorkerRow on Worker {
  id
  name
  awsRegion
  awsInstanceId
  instanceType
  status
  statusChecks {
    system
    instance
  }
  cpuUtilization
  memoryUtilization
  thresholds {
    cpu
    memory
  }
  monitoringEnabled
  lastPolledAt
  lastTransitionAt
  pollError {
    message
    occurredAt
    consecutiveFailures
  }
  cml {
    ...CmlRow
  }
}
fragment CmlRow on CmlState {
  status
  error
  labsRunning
  nodesRunning
}`) as unknown as TypedDocumentString<DashboardStartWorkerMutation, DashboardStartWorkerMutationVariables>;
export const DashboardStopWorkerDocument = new TypedDocumentString(`
    mutation DashboardStopWorker($id: ID!) {
  stopWorker(id: $id) {
    ...WorkerRow
  }
}
    fragment WorkerRow on Worker {
  id
  name
  awsRegion
  awsInstanceId
  instanceType
  status
  statusChecks {
    system
    instance
  }
  cpuUtilization
  memoryUtilization
  thresholds {
    cpu
    memory
  }
  monitoringEnabled
  lastPolledAt
  lastTransitionAt
  pollError {
    message
    occurredAt
    consecutiveFailures
  }
  cml {
    ...CmlRow
  }
}
fragment CmlRow on CmlState {
  status
  error
  labsRunning
  nodesRunning
}`) as unknown as TypedDocumentString<DashboardStopWorkerMutation, DashboardStopWorkerMutationVariables>;
export const DashboardRefreshWorkerDocument = new TypedDocumentString(`
    mutation DashboardRefreshWorker($id: ID!) {
  refreshWorker(id: $id) {
    ...WorkerRow
  }
}
    fragment WorkerRow on Worker {
  id
  name
  awsRegion
  awsInstanceId
  instanceType
  status
  statusChecks {
    system
    instance
  }
  cpuUtilization
  memoryUtilization
  thresholds {
    cpu
    memory
  }
  monitoringEnabled
  lastPolledAt
  lastTransitionAt
  pollError {
    message
    occurredAt
    consecutiveFailures
  }
  cml {
    ...CmlRow
  }
}
fragment CmlRow on CmlState {
  status
  error
  labsRunning
  nodesRunning
}`) as unknown as TypedDocumentString<DashboardRefreshWorkerMutation, DashboardRefreshWorkerMutationVariables>;
export const DashboardTerminateWorkerDocument = new TypedDocumentString(`
    mutation DashboardTerminateWorker($id: ID!) {
  terminateWorker(id: $id) {
    ...WorkerRow
  }
}
    fragment WorkerRow on Worker {
  id
  name
  awsRegion
  awsInstanceId
  instanceType
  status
  statusChecks {
    system
    instance
  }
  cpuUtilization
  memoryUtilization
  thresholds {
    cpu
    memory
  }
  monitoringEnabled
  lastPolledAt
  lastTransitionAt
  pollError {
    message
    occurredAt
    consecutiveFailures
  }
  cml {
    ...CmlRow
  }
}
fragment CmlRow on CmlState {
  status
  error
  labsRunning
  nodesRunning
}`) as unknown as TypedDocumentString<DashboardTerminateWorkerMutation, DashboardTerminateWorkerMutationVariables>;
export const DashboardCreateWorkerDocument = new TypedDocumentString(`
    mutation DashboardCreateWorker($input: CreateWorkerInput!) {
  createWorker(input: $input) {
    ...WorkerRow
  }
}
    fragment WorkerRow on Worker {
  id
  name
  awsRegion
  awsInstanceId
  instanceType
  status
  statusChecks {
    system
    instance
  }
  cpuUtilization
  memoryUtilization
  thresholds {
    cpu
    memory
  }
  monitoringEnabled
  lastPolledAt
  lastTransitionAt
  pollError {
    message
    occurredAt
    consecutiveFailures
  }
  cml {
    ...CmlRow
  }
}
fragment CmlRow on CmlState {
  status
  error
  labsRunning
  nodesRunning
}`) as unknown as TypedDocumentString<DashboardCreateWorkerMutation, DashboardCreateWorkerMutationVariables>;
export const DashboardImportWorkerDocument = new TypedDocumentString(`
    mutation DashboardImportWorker($input: ImportWorkerInput!) {
  importWorker(input: $input) {
    ...WorkerRow
  }
}
    fragment WorkerRow on Worker {
  id
  name
  awsRegion
  awsInstanceId
  instanceType
  status
  statusChecks {
    system
    instance
  }
  cpuUtilization
  memoryUtilization
  thresholds {
    cpu
    memory
  }
  monitoringEnabled
  lastPolledAt
  lastTransitionAt
  pollError {
    message
    occurredAt
    consecutiveFailures
  }
  cml {
    ...CmlRow
  }
}
fragment CmlRow on CmlState {
  status
  error
  labsRunning
  nodesRunning
}`) as unknown as TypedDocumentString<DashboardImportWorkerMutation, DashboardImportWorkerMutationVariables>;
export const DashboardUpdateWorkerDocument = new TypedDocumentString(`
    mutation DashboardUpdateWorker($id: ID!, $input: UpdateWorkerInput!) {
  updateWorker(id: $id, input: $input) {
    ...WorkerRow
  }
}
    fragment WorkerRow on Worker {
  id
  name
  awsRegion
  awsInstanceId
  instanceType
  status
  statusChecks {
    system
    instance
  }
  cpuUtilization
  memoryUtilization
  thresholds {
    cpu
    memory
  }
  monitoringEnabled
  lastPolledAt
  lastTransitionAt
  pollError {
    message
    occurredAt
    consecutiveFailures
  }
  cml {
    ...CmlRow
  }
}
fragment CmlRow on CmlState {
  status
  error
  labsRunning
  nodesRunning
}`) as unknown as TypedDocumentString<DashboardUpdateWorkerMutation, DashboardUpdateWorkerMutationVariables>;
export const DashboardRemoveWorkerDocument = new TypedDocumentString(`
    mutation DashboardRemoveWorker($id: ID!) {
  removeWorker(id: $id)
}
    `) as unknown as TypedDocumentString<DashboardRemoveWorkerMutation, DashboardRemoveWorkerMutationVariables>;