import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { timestamp } from './worker.entity';

/**
 * The alerts one receiver is told about together: those sharing the grouping labels. The row
 * is the group's lock and its clock: `flushAt` is when its changes are next sent (group wait,
 * then group interval), `remindAt` when it is next reminded. Once nothing in it fires, the row
 * goes; the next alert with the same labels starts a new group (and a new incident).
 */
@Entity({ name: 'notification_group' })
@Index('notification_group_receiver_key', ['receiverKey', 'groupKey'], { unique: true })
@Index('notification_group_flush_at', ['flushAt'], { where: `"flushAt" IS NOT NULL` })
@Index('notification_group_remind_at', ['remindAt'], { where: `"remindAt" IS NOT NULL` })
export class NotificationGroup {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64 })
  receiverKey: string;

  /** The grouping labels as one string, e.g. `kind=CPU_HIGH,region=us-east-1,severity=WARNING`. */
  @Column({ type: 'text' })
  groupKey: string;

  @Column({ type: 'jsonb' })
  labels: Record<string, string>;

  @Column(timestamp)
  createdAt: Date;

  @Column({ ...timestamp, nullable: true })
  flushAt: Date | null;

  @Column({ ...timestamp, nullable: true })
  remindAt: Date | null;

  @Column({ ...timestamp, nullable: true })
  lastFlushAt: Date | null;

  /** Notifications sent so far: the next one's number. */
  @Column({ type: 'integer', default: 0 })
  sequence: number;

  /** PagerDuty and Opsgenie were told the group is acknowledged: once per group. */
  @Column({ type: 'boolean', default: false })
  acknowledgementSent: boolean;
}

/** One alert of a group, and what the group's receiver has been told of it. */
@Entity({ name: 'notification_group_alert' })
@Index('notification_group_alert_alert', ['alertId'])
@Index('notification_group_alert_muted_until', ['mutedUntil'], {
  where: `"mutedUntil" IS NOT NULL`,
})
export class NotificationGroupAlert {
  @PrimaryColumn({ type: 'uuid' })
  groupId: string;

  @ManyToOne(() => NotificationGroup, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'groupId', foreignKeyConstraintName: 'notification_group_alert_group_fk' })
  group?: NotificationGroup;

  @PrimaryColumn({ type: 'uuid' })
  alertId: string;

  /** The worker's name and region when the alert fired: silences match them after its removal. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  workerName: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  awsRegion: string | null;

  /** The receiver was told it fires. */
  @Column({ type: 'boolean', default: false })
  notified: boolean;

  /** Held back by a silence ending then; the group looks at it again when it ends. */
  @Column({ ...timestamp, nullable: true })
  mutedUntil: Date | null;

  @Column(timestamp)
  addedAt: Date;
}
