import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Alert } from './alert.entity';
import { AlertEventType, DeliveryState, ReceiverKind } from './alert.enums';
import { timestamp } from './worker.entity';

/** One alert event for one receiver, and how its delivery went. */
@ObjectType('NotificationDelivery', {
  description: 'One alert event sent to one receiver, and how its delivery went.',
})
@Entity({ name: 'alert_notification' })
@Index('alert_notification_once', ['alertId', 'event', 'sequence', 'receiverKey'], {
  unique: true,
})
@Index('alert_notification_pending', ['createdAt'], { where: `"state" = 'PENDING'` })
export class AlertNotification {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  alertId: string;

  @ManyToOne(() => Alert, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alertId', foreignKeyConstraintName: 'alert_notification_alert_fk' })
  alert?: Alert;

  @Field(() => AlertEventType)
  @Column({ type: 'enum', enum: AlertEventType, enumName: 'alert_event_type' })
  event: AlertEventType;

  /** 0 for the firing and the resolution; the reminder's number for reminders. */
  @Column({ type: 'integer', default: 0 })
  sequence: number;

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
