import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { GroupNotice } from '../services/notifications/group-notice';
import { AlertEventType, DeliveryState, ReceiverKind } from './alert.enums';
import { timestamp } from './worker.entity';

/** One notification of a group of alerts to one receiver, and how its delivery went. */
@ObjectType('NotificationDelivery', {
  simpleResolvers: true,
  description:
    'One notification sent to one receiver (about a group of alerts), and how its delivery went.',
})
@Entity({ name: 'alert_notification' })
@Index('alert_notification_once', ['eventId', 'receiverKey'], { unique: true })
@Index('alert_notification_pending', ['createdAt'], { where: `"state" = 'PENDING'` })
// A GIN index, which TypeORM cannot declare: the migration makes it.
@Index('alert_notification_alert_ids', { synchronize: false })
export class AlertNotification {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stable across retries; Standard Webhooks' webhook-id and the CloudEvents id. */
  @Column({ type: 'varchar', length: 200 })
  eventId: string;

  /** Every alert the notification tells of. */
  @Column({ type: 'uuid', array: true })
  alertIds: string[];

  /** Null for notifications from before grouping. */
  @Column({ type: 'uuid', nullable: true })
  groupId: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The labels of the group the notification was about, e.g. kind=CPU_HIGH,region=us-east-1,severity=WARNING.',
  })
  @Column({ type: 'text', nullable: true })
  groupKey: string | null;

  @Field(() => Int, { description: 'How many alerts it told of.' })
  get alertCount(): number {
    return this.alertIds.length;
  }

  @Field(() => AlertEventType)
  @Column({ type: 'enum', enum: AlertEventType, enumName: 'alert_event_type' })
  event: AlertEventType;

  /** What is sent, as sent on every attempt; null once no attempt will be made. */
  @Column({ type: 'jsonb', nullable: true })
  notice: GroupNotice | null;

  /** Stable and secret-free: a hash of the receiver's URL. */
  @Column({ type: 'varchar', length: 64 })
  receiverKey: string;

  @Field(() => ReceiverKind)
  @Column({ type: 'enum', enum: ReceiverKind, enumName: 'receiver_kind' })
  receiverKind: ReceiverKind;

  @Field({ description: 'The receiver, without the secret parts of its URL.' })
  @Column({ type: 'varchar', length: 300 })
  receiver: string;

  @Field(() => DeliveryState)
  @Column({
    type: 'enum',
    enum: DeliveryState,
    enumName: 'delivery_state',
    default: DeliveryState.PENDING,
  })
  state: DeliveryState;

  @Field(() => Int)
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ ...timestamp, nullable: true })
  lastAttemptAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ ...timestamp, nullable: true })
  deliveredAt: Date | null;

  @Field()
  @Column({ ...timestamp, default: () => 'now()' })
  createdAt: Date;
}
