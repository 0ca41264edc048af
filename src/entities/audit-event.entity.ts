import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { AuditOutcome } from './audit-outcome.enum';
import type { FieldColumns } from '../schema/selection';
import { Node } from './node.interface';
import { timestamp } from './worker.entity';

/**
 * One mutation, or one instance of a batch import, as the service recorded it. It outlives the
 * worker and the alert it names (hence no foreign keys), until the retention prunes it. The id
 * is the service's own, so the record a transaction wrote can be told its outcome afterwards.
 */
@ObjectType({
  simpleResolvers: true,
  description: 'One mutation as the service recorded it.',
  implements: Node,
})
@Entity({ name: 'audit_event' })
@Index('audit_event_at_id', ['at', 'id'])
@Index('audit_event_actor_at', ['actor', 'at', 'id'])
@Index('audit_event_worker_at', ['workerId', 'at', 'id'])
@Check('audit_event_error_code_when_failed', `("outcome" = 'FAILED') = ("errorCode" IS NOT NULL)`)
export class AuditEvent implements Node {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Field()
  @Column(timestamp)
  at: Date;

  @Field({ description: "The caller's name (anonymous when authentication is off)." })
  @Column({ type: 'text' })
  actor: string;

  @Field({ description: "The mutation's field name, e.g. stopWorker." })
  @Column({ type: 'text' })
  operation: string;

  @Field(() => ID, { nullable: true })
  @Column({ type: 'uuid', nullable: true })
  workerId: string | null;

  @Field(() => ID, { nullable: true })
  @Column({ type: 'uuid', nullable: true })
  alertId: string | null;

  @Field(() => AuditOutcome)
  @Column({ type: 'enum', enum: AuditOutcome, enumName: 'audit_outcome' })
  outcome: AuditOutcome;

  @Field(() => String, { nullable: true, description: 'The error code when it failed.' })
  @Column({ type: 'text', nullable: true })
  errorCode: string | null;

  @Field({ description: 'A short account of the input, secrets left out.' })
  @Column({ type: 'text' })
  summary: string;
}

/** The columns of `audit_event`: each AuditEvent field reads its own. */
export type AuditEventColumn = keyof AuditEvent;

export const AUDIT_EVENT_FIELD_COLUMNS: FieldColumns<AuditEventColumn> = {
  id: ['id'],
  at: ['at'],
  actor: ['actor'],
  operation: ['operation'],
  workerId: ['workerId'],
  alertId: ['alertId'],
  outcome: ['outcome'],
  errorCode: ['errorCode'],
  summary: ['summary'],
};
