import { registerEnumType } from 'type-graphql';

/** How a mutation ended, as its caller was answered. */
export enum AuditOutcome {
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}

registerEnumType(AuditOutcome, { name: 'AuditOutcome' });
