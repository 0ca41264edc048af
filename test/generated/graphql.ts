/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
};

/** EC2 status check result: OK, IMPAIRED, INITIALIZING, INSUFFICIENT_DATA or NOT_APPLICABLE. */
export type CheckStatus =
  | 'IMPAIRED'
  | 'INITIALIZING'
  | 'INSUFFICIENT_DATA'
  | 'NOT_APPLICABLE'
  | 'OK';

/** Launch a new EC2 instance and register it. Unset fields take configured defaults. */
export type CreateWorkerInput = {
  amiId?: InputMaybe<Scalars['String']['input']>;
  awsRegion?: InputMaybe<Scalars['String']['input']>;
  instanceType?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  thresholds?: InputMaybe<ThresholdsInput>;
};

/** Register an existing EC2 instance. Importing the same instance twice is a CONFLICT. */
export type ImportWorkerInput = {
  awsInstanceId: Scalars['String']['input'];
  awsRegion?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  thresholds?: InputMaybe<ThresholdsInput>;
};

export type Mutation = {
  __typename?: 'Mutation';
  createWorker: Worker;
  importWorker: Worker;
  /** Forgets the worker (stops polling, keeps the EC2 instance running). Returns true if it existed. */
  removeWorker: Scalars['Boolean']['output'];
  startWorker: Worker;
  stopWorker: Worker;
  /** Terminates the EC2 instance; the worker stays, with status TERMINATED once EC2 says so, and its polling stops. */
  terminateWorker: Worker;
  updateWorker: Worker;
};


export type MutationCreateWorkerArgs = {
  input: CreateWorkerInput;
};


export type MutationImportWorkerArgs = {
  input: ImportWorkerInput;
};


export type MutationRemoveWorkerArgs = {
  id: Scalars['ID']['input'];
};


export type MutationStartWorkerArgs = {
  id: Scalars['ID']['input'];
};


export type MutationStopWorkerArgs = {
  id: Scalars['ID']['input'];
};


export type MutationTerminateWorkerArgs = {
  id: Scalars['ID']['input'];
};


export type MutationUpdateWorkerArgs = {
  id: Scalars['ID']['input'];
  input: UpdateWorkerInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Query = {
  __typename?: 'Query';
  worker?: Maybe<Worker>;
  /** Newest first. first: 1-500, default 50. */
  workers: WorkerConnection;
};


export type QueryWorkerArgs = {
  id: Scalars['ID']['input'];
};


export type QueryWorkersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<WorkerFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type StatusChecks = {
  __typename?: 'StatusChecks';
  instance: CheckStatus;
  system: CheckStatus;
};

export type Subscription = {
  __typename?: 'Subscription';
  workerStatusChanged: WorkerStatusChange;
};


export type SubscriptionWorkerStatusChangedArgs = {
  workerId?: InputMaybe<Scalars['ID']['input']>;
};

/** Alert thresholds in percent (0-100]. Per worker; defaults come from configuration. */
export type Thresholds = {
  __typename?: 'Thresholds';
  cpu: Scalars['Float']['output'];
  memory: Scalars['Float']['output'];
};

export type ThresholdsInput = {
  cpu?: InputMaybe<Scalars['Float']['input']>;
  memory?: InputMaybe<Scalars['Float']['input']>;
};

export type UpdateWorkerInput = {
  monitoringEnabled?: InputMaybe<Scalars['Boolean']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  thresholds?: InputMaybe<ThresholdsInput>;
};

export type Worker = {
  __typename?: 'Worker';
  awsInstanceId: Scalars['String']['output'];
  awsRegion: Scalars['String']['output'];
  /** Average CPU utilization (percent) of the last collected period; null when unknown. */
  cpuUtilization?: Maybe<Scalars['Float']['output']>;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  instanceType?: Maybe<Scalars['String']['output']>;
  lastActivityAt?: Maybe<Scalars['DateTime']['output']>;
  lastPolledAt?: Maybe<Scalars['DateTime']['output']>;
  lastTransitionAt?: Maybe<Scalars['DateTime']['output']>;
  /** Average memory utilization (percent, CloudWatch agent); null when unknown. */
  memoryUtilization?: Maybe<Scalars['Float']['output']>;
  monitoringEnabled: Scalars['Boolean']['output'];
  name: Scalars['String']['output'];
  status: WorkerStatus;
  statusChecks?: Maybe<StatusChecks>;
  thresholds: Thresholds;
  updatedAt: Scalars['DateTime']['output'];
};

export type WorkerConnection = {
  __typename?: 'WorkerConnection';
  edges: Array<WorkerEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type WorkerEdge = {
  __typename?: 'WorkerEdge';
  cursor: Scalars['String']['output'];
  node: Worker;
};

export type WorkerFilter = {
  awsRegion?: InputMaybe<Scalars['String']['input']>;
  /** Case-insensitive substring of the name. */
  nameContains?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<Array<WorkerStatus>>;
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

export type WorkerStatusChange = {
  __typename?: 'WorkerStatusChange';
  changedAt: Scalars['DateTime']['output'];
  previousStatus: WorkerStatus;
  status: WorkerStatus;
  workerId: Scalars['ID']['output'];
};

/** EC2 status check result: OK, IMPAIRED, INITIALIZING, INSUFFICIENT_DATA or NOT_APPLICABLE. */
export type CheckStatus =
  | 'IMPAIRED'
  | 'INITIALIZING'
  | 'INSUFFICIENT_DATA'
  | 'NOT_APPLICABLE'
  | 'OK';

/** Launch a new EC2 instance and register it. Unset fields take configured defaults. */
export type CreateWorkerInput = {
  amiId?: string | null | undefined;
  awsRegion?: string | null | undefined;
  instanceType?: string | null | undefined;
  name: string;
  thresholds?: ThresholdsInput | null | undefined;
};

/** Register an existing EC2 instance. Importing the same instance twice is a CONFLICT. */
export type ImportWorkerInput = {
  awsInstanceId: string;
  awsRegion?: string | null | undefined;
  name?: string | null | undefined;
  thresholds?: ThresholdsInput | null | undefined;
};

export type ThresholdsInput = {
  cpu?: number | null | undefined;
  memory?: number | null | undefined;
};

export type UpdateWorkerInput = {
  monitoringEnabled?: boolean | null | undefined;
  name?: string | null | undefined;
  thresholds?: ThresholdsInput | null | undefined;
};

export type WorkerFilter = {
  awsRegion?: string | null | undefined;
  /** Case-insensitive substring of the name. */
  nameContains?: string | null | undefined;
  status?: Array<WorkerStatus> | null | undefined;
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

export type WorkerFieldsFragment = { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastActivityAt: string | null, lastTransitionAt: string | null, createdAt: string, updatedAt: string, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number } };

export type WorkerQueryVariables = Exact<{
  id: string | number;
}>;


export type WorkerQuery = { worker: { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastActivityAt: string | null, lastTransitionAt: string | null, createdAt: string, updatedAt: string, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number } } | null };

export type WorkersQueryVariables = Exact<{
  filter?: WorkerFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type WorkersQuery = { workers: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastActivityAt: string | null, lastTransitionAt: string | null, createdAt: string, updatedAt: string, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number } } }> } };

export type CreateWorkerMutationVariables = Exact<{
  input: CreateWorkerInput;
}>;


export type CreateWorkerMutation = { createWorker: { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastActivityAt: string | null, lastTransitionAt: string | null, createdAt: string, updatedAt: string, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number } } };

export type ImportWorkerMutationVariables = Exact<{
  input: ImportWorkerInput;
}>;


export type ImportWorkerMutation = { importWorker: { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastActivityAt: string | null, lastTransitionAt: string | null, createdAt: string, updatedAt: string, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number } } };

export type StartWorkerMutationVariables = Exact<{
  id: string | number;
}>;


export type StartWorkerMutation = { startWorker: { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastActivityAt: string | null, lastTransitionAt: string | null, createdAt: string, updatedAt: string, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number } } };

export type StopWorkerMutationVariables = Exact<{
  id: string | number;
}>;


export type StopWorkerMutation = { stopWorker: { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastActivityAt: string | null, lastTransitionAt: string | null, createdAt: string, updatedAt: string, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number } } };

export type TerminateWorkerMutationVariables = Exact<{
  id: string | number;
}>;


export type TerminateWorkerMutation = { terminateWorker: { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastActivityAt: string | null, lastTransitionAt: string | null, createdAt: string, updatedAt: string, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number } } };

export type UpdateWorkerMutationVariables = Exact<{
  id: string | number;
  input: UpdateWorkerInput;
}>;


export type UpdateWorkerMutation = { updateWorker: { id: string, name: string, awsRegion: string, awsInstanceId: string, instanceType: string | null, status: WorkerStatus, cpuUtilization: number | null, memoryUtilization: number | null, monitoringEnabled: boolean, lastPolledAt: string | null, lastActivityAt: string | null, lastTransitionAt: string | null, createdAt: string, updatedAt: string, statusChecks: { system: CheckStatus, instance: CheckStatus } | null, thresholds: { cpu: number, memory: number } } };

export type RemoveWorkerMutationVariables = Exact<{
  id: string | number;
}>;


export type RemoveWorkerMutation = { removeWorker: boolean };

export type WorkerStatusChangedSubscriptionVariables = Exact<{
  workerId?: string | number | null | undefined;
}>;


export type WorkerStatusChangedSubscription = { workerStatusChanged: { workerId: string, previousStatus: WorkerStatus, status: WorkerStatus, changedAt: string } };

export const WorkerFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Worker"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"awsRegion"}},{"kind":"Field","name":{"kind":"Name","value":"awsInstanceId"}},{"kind":"Field","name":{"kind":"Name","value":"instanceType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"statusChecks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"instance"}}]}},{"kind":"Field","name":{"kind":"Name","value":"cpuUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"memoryUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"thresholds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"}},{"kind":"Field","name":{"kind":"Name","value":"memory"}}]}},{"kind":"Field","name":{"kind":"Name","value":"monitoringEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"lastPolledAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastActivityAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastTransitionAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<WorkerFieldsFragment, unknown>;
export const WorkerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Worker"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"worker"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Worker"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"awsRegion"}},{"kind":"Field","name":{"kind":"Name","value":"awsInstanceId"}},{"kind":"Field","name":{"kind":"Name","value":"instanceType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"statusChecks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"instance"}}]}},{"kind":"Field","name":{"kind":"Name","value":"cpuUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"memoryUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"thresholds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"}},{"kind":"Field","name":{"kind":"Name","value":"memory"}}]}},{"kind":"Field","name":{"kind":"Name","value":"monitoringEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"lastPolledAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastActivityAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastTransitionAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<WorkerQuery, WorkerQueryVariables>;
export const WorkersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Workers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"WorkerFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Worker"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"awsRegion"}},{"kind":"Field","name":{"kind":"Name","value":"awsInstanceId"}},{"kind":"Field","name":{"kind":"Name","value":"instanceType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"statusChecks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"instance"}}]}},{"kind":"Field","name":{"kind":"Name","value":"cpuUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"memoryUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"thresholds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"}},{"kind":"Field","name":{"kind":"Name","value":"memory"}}]}},{"kind":"Field","name":{"kind":"Name","value":"monitoringEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"lastPolledAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastActivityAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastTransitionAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<WorkersQuery, WorkersQueryVariables>;
export const CreateWorkerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateWorker"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateWorkerInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createWorker"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Worker"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"awsRegion"}},{"kind":"Field","name":{"kind":"Name","value":"awsInstanceId"}},{"kind":"Field","name":{"kind":"Name","value":"instanceType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"statusChecks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"instance"}}]}},{"kind":"Field","name":{"kind":"Name","value":"cpuUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"memoryUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"thresholds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"}},{"kind":"Field","name":{"kind":"Name","value":"memory"}}]}},{"kind":"Field","name":{"kind":"Name","value":"monitoringEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"lastPolledAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastActivityAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastTransitionAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<CreateWorkerMutation, CreateWorkerMutationVariables>;
export const ImportWorkerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ImportWorker"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ImportWorkerInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"importWorker"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Worker"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"awsRegion"}},{"kind":"Field","name":{"kind":"Name","value":"awsInstanceId"}},{"kind":"Field","name":{"kind":"Name","value":"instanceType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"statusChecks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"instance"}}]}},{"kind":"Field","name":{"kind":"Name","value":"cpuUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"memoryUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"thresholds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"}},{"kind":"Field","name":{"kind":"Name","value":"memory"}}]}},{"kind":"Field","name":{"kind":"Name","value":"monitoringEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"lastPolledAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastActivityAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastTransitionAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<ImportWorkerMutation, ImportWorkerMutationVariables>;
export const StartWorkerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartWorker"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startWorker"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Worker"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"awsRegion"}},{"kind":"Field","name":{"kind":"Name","value":"awsInstanceId"}},{"kind":"Field","name":{"kind":"Name","value":"instanceType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"statusChecks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"instance"}}]}},{"kind":"Field","name":{"kind":"Name","value":"cpuUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"memoryUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"thresholds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"}},{"kind":"Field","name":{"kind":"Name","value":"memory"}}]}},{"kind":"Field","name":{"kind":"Name","value":"monitoringEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"lastPolledAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastActivityAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastTransitionAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<StartWorkerMutation, StartWorkerMutationVariables>;
export const StopWorkerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StopWorker"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stopWorker"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Worker"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"awsRegion"}},{"kind":"Field","name":{"kind":"Name","value":"awsInstanceId"}},{"kind":"Field","name":{"kind":"Name","value":"instanceType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"statusChecks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"instance"}}]}},{"kind":"Field","name":{"kind":"Name","value":"cpuUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"memoryUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"thresholds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"}},{"kind":"Field","name":{"kind":"Name","value":"memory"}}]}},{"kind":"Field","name":{"kind":"Name","value":"monitoringEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"lastPolledAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastActivityAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastTransitionAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<StopWorkerMutation, StopWorkerMutationVariables>;
export const TerminateWorkerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"TerminateWorker"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"terminateWorker"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Worker"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"awsRegion"}},{"kind":"Field","name":{"kind":"Name","value":"awsInstanceId"}},{"kind":"Field","name":{"kind":"Name","value":"instanceType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"statusChecks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"instance"}}]}},{"kind":"Field","name":{"kind":"Name","value":"cpuUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"memoryUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"thresholds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"}},{"kind":"Field","name":{"kind":"Name","value":"memory"}}]}},{"kind":"Field","name":{"kind":"Name","value":"monitoringEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"lastPolledAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastActivityAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastTransitionAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<TerminateWorkerMutation, TerminateWorkerMutationVariables>;
export const UpdateWorkerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateWorker"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateWorkerInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateWorker"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Worker"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"awsRegion"}},{"kind":"Field","name":{"kind":"Name","value":"awsInstanceId"}},{"kind":"Field","name":{"kind":"Name","value":"instanceType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"statusChecks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"instance"}}]}},{"kind":"Field","name":{"kind":"Name","value":"cpuUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"memoryUtilization"}},{"kind":"Field","name":{"kind":"Name","value":"thresholds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"}},{"kind":"Field","name":{"kind":"Name","value":"memory"}}]}},{"kind":"Field","name":{"kind":"Name","value":"monitoringEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"lastPolledAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastActivityAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastTransitionAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<UpdateWorkerMutation, UpdateWorkerMutationVariables>;
export const RemoveWorkerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RemoveWorker"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeWorker"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<RemoveWorkerMutation, RemoveWorkerMutationVariables>;
export const WorkerStatusChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"WorkerStatusChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workerId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workerStatusChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"workerId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workerId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workerId"}},{"kind":"Field","name":{"kind":"Name","value":"previousStatus"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"changedAt"}}]}}]}}]} as unknown as DocumentNode<WorkerStatusChangedSubscription, WorkerStatusChangedSubscriptionVariables>;