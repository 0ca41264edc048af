import { registerEnumType } from 'type-graphql';

export enum WorkerStatus {
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  STOPPING = 'STOPPING',
  STOPPED = 'STOPPED',
  SHUTTING_DOWN = 'SHUTTING_DOWN',
  TERMINATED = 'TERMINATED',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(WorkerStatus, {
  name: 'WorkerStatus',
  description: 'EC2 instance state, as the worker last saw it.',
});

export enum CheckStatus {
  OK = 'OK',
  IMPAIRED = 'IMPAIRED',
  INITIALIZING = 'INITIALIZING',
  INSUFFICIENT_DATA = 'INSUFFICIENT_DATA',
  NOT_APPLICABLE = 'NOT_APPLICABLE',
}

registerEnumType(CheckStatus, {
  name: 'CheckStatus',
  description:
    'EC2 status check result: OK, IMPAIRED, INITIALIZING, INSUFFICIENT_DATA or NOT_APPLICABLE.',
});
