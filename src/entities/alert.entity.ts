import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AlertKind, AlertSeverity, AlertState } from './alert.enums';
import type { FieldColumns } from '../schema/selection';
import { Node } from './node.interface';
import { timestamp } from './worker.entity';

/**
 * An alert. Also the payload of the thresholdAlert subscription. It outlives its worker
 * (hence no foreign key): the history of a removed worker stays readable.
 */
@ObjectType({
  simpleResolvers: true,
  description:
    'An alert. Also the payload of the thresholdAlert subscription, sent when it fires and when it resolves.',
  implements: Node,
})
@Entity({ name: 'alert' })
@Index('alert_started_at_id', ['startedAt', 'id'])
@Index('alert_worker_started_at', ['workerId', 'startedAt'])
@Index('alert_one_open_per_worker_kind', ['workerId', 'kind'], {
  unique: true,
  where: `"state" = 'FIRING'`,
})
export class Alert implements Node {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column({ type: 'uuid' })
  workerId: string;

  @Field(() => AlertKind)
  @Column({ type: 'enum', enum: AlertKind, enumName: 'alert_kind' })
  kind: AlertKind;

  @Field(() => AlertState)
  @Column({ type: 'enum', enum: AlertState, enumName: 'alert_state' })
  state: AlertState;

  @Field(() => AlertSeverity)
  @Column({ type: 'enum', enum: AlertSeverity, enumName: 'alert_severity' })
  severity: AlertSeverity;

  @Field(() => Float, {
    nullable: true,
    description: 'The measured value that fired it (percent), null for status alerts.',
  })
  @Column({ type: 'double precision', nullable: true })
  value: number | null;

  @Field(() => Float, { nullable: true })
  @Column({ type: 'double precision', nullable: true })
  threshold: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'The measured value that resolved it (percent); null for status alerts.',
  })
  @Column({ type: 'double precision', nullable: true })
  resolvedValue: number | null;

  @Field()
  @Column({ type: 'text' })
  message: string;

  @Field(() => String, { nullable: true, description: 'Why it resolved.' })
  @Column({ type: 'text', nullable: true })
  resolution: string | null;

  @Field()
  @Column(timestamp)
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ ...timestamp, nullable: true })
  resolvedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ ...timestamp, nullable: true })
  acknowledgedAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When receivers were last told about it (firing, reminder or resolution).',
  })
  @Column({ ...timestamp, nullable: true })
  lastNotifiedAt: Date | null;

  @Field(() => Int, { description: 'Reminders sent while it kept firing.' })
  @Column({ type: 'integer', default: 0 })
  reminders: number;

  /**
   * Not stored: whether a silence matched it when published on thresholdAlert, decided once
   * for every subscriber. Unset on alerts read from the database (`Alert.silenced` asks then).
   */
  silenced?: boolean;
}

/** The columns of `alert` an answer may read. */
export type AlertColumn = Exclude<keyof Alert, 'silenced'>;

/** What each Alert field reads; its field resolvers read their parent's keys. */
export const ALERT_FIELD_COLUMNS: FieldColumns<AlertColumn> = {
  id: ['id'],
  workerId: ['workerId'],
  kind: ['kind'],
  state: ['state'],
  severity: ['severity'],
  value: ['value'],
  threshold: ['threshold'],
  resolvedValue: ['resolvedValue'],
  message: ['message'],
  resolution: ['resolution'],
  startedAt: ['startedAt'],
  resolvedAt: ['resolvedAt'],
  acknowledgedAt: ['acknowledgedAt'],
  lastNotifiedAt: ['lastNotifiedAt'],
  reminders: ['reminders'],
  worker: ['workerId'],
  deliveries: ['id'],
  remediations: ['id'],
};

/** An alert as an answer reads it: plain data, with the columns asked for. */
export type AlertRow = Pick<Alert, 'workerId'> & Partial<Alert>;
