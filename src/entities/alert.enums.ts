import { registerEnumType } from 'type-graphql';
import { AlertKind } from './alert-kind.enum';

export { AlertKind };

export enum AlertState {
  FIRING = 'FIRING',
  RESOLVED = 'RESOLVED',
}

export enum AlertSeverity {
  INFO = 'INFO',
  WARNING = 'WARNING',
  CRITICAL = 'CRITICAL',
}

/** What one notification tells a receiver about an alert. */
export enum AlertEventType {
  FIRING = 'FIRING',
  RESOLVED = 'RESOLVED',
  REMINDER = 'REMINDER',
  /** An operator acknowledged it (acknowledgeAlert). */
  ACKNOWLEDGED = 'ACKNOWLEDGED',
}

export enum ReceiverKind {
  CLOUDEVENTS = 'CLOUDEVENTS',
  SLACK = 'SLACK',
  PAGERDUTY = 'PAGERDUTY',
  OPSGENIE = 'OPSGENIE',
  EMAIL = 'EMAIL',
}

export enum DeliveryState {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}

/** A lifecycle call the service made to EC2 on its own or for an operator. */
export enum WorkerAction {
  START = 'START',
  STOP = 'STOP',
  TERMINATE = 'TERMINATE',
}

export enum RemediationOutcome {
  /** EC2 accepted the call. */
  REQUESTED = 'REQUESTED',
  FAILED = 'FAILED',
  /** Not attempted: the worker reached WORKER_AUTO_REMEDIATION_MAX_ATTEMPTS in 24 h. */
  SKIPPED = 'SKIPPED',
}

registerEnumType(AlertKind, {
  name: 'AlertKind',
  valuesConfig: {
    IDLE: { description: 'No lab running (and CPU low) for the configured time.' },
    CML_UNAVAILABLE: {
      description:
        'EC2 says running and its checks pass, but the CML API has failed for consecutive polls.',
    },
    LICENSE_INVALID: { description: 'The CML license is not registered or out of compliance.' },
    LICENSE_EXPIRING: {
      description: 'The CML license expires within the configured warning period.',
    },
  },
});
registerEnumType(AlertState, { name: 'AlertState' });
registerEnumType(AlertSeverity, { name: 'AlertSeverity' });
registerEnumType(AlertEventType, { name: 'AlertEventType' });
registerEnumType(ReceiverKind, {
  name: 'ReceiverKind',
  description:
    'CloudEvents webhook, Slack incoming webhook, PagerDuty Events API v2, Opsgenie Alert API v2, or email over SMTP.',
});
registerEnumType(DeliveryState, { name: 'DeliveryState' });
registerEnumType(WorkerAction, { name: 'WorkerAction' });
registerEnumType(RemediationOutcome, { name: 'RemediationOutcome' });
