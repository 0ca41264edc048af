import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Alert } from './alert.entity';
import { RemediationOutcome, WorkerAction } from './alert.enums';
import { timestamp } from './worker.entity';

/** What the service did about an alert on its own (auto-remediation, idle auto-stop). */
@ObjectType('RemediationAttempt', {
  simpleResolvers: true,
  description: 'What the service did on its own about an alert: a restart or an idle stop.',
})
@Entity({ name: 'alert_remediation' })
@Index('alert_remediation_worker_attempted_at', ['workerId', 'attemptedAt'])
@Index('alert_remediation_alert', ['alertId'])
export class AlertRemediation {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'uuid' })
  alertId: string;

  @ManyToOne(() => Alert, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alertId', foreignKeyConstraintName: 'alert_remediation_alert_fk' })
  alert?: Alert;

  @Column({ type: 'uuid' })
  workerId: string;

  @Field(() => WorkerAction)
  @Column({ type: 'enum', enum: WorkerAction, enumName: 'worker_action' })
  action: WorkerAction;

  @Field(() => RemediationOutcome)
  @Column({ type: 'enum', enum: RemediationOutcome, enumName: 'remediation_outcome' })
  outcome: RemediationOutcome;

  @Field(() => String, { nullable: true, description: 'The error, or why it was skipped.' })
  @Column({ type: 'text', nullable: true })
  detail: string | null;

  @Field()
  @Column(timestamp)
  attemptedAt: Date;
}
