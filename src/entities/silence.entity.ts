import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AlertKind, AlertSeverity } from './alert.enums';
import { Node } from './node.interface';
import { timestamp } from './worker.entity';

/**
 * Holds back the notifications of the alerts it matches from `startsAt` until `endsAt`. Each
 * matcher is a column of its own, null when left out, so "the silences active now" and "the
 * silences of this region" are plain queries; the database refuses a silence of everything.
 */
@ObjectType({ simpleResolvers: true, implements: Node })
@Entity({ name: 'silence' })
@Index('silence_active_window', ['endsAt', 'startsAt'])
@Index('silence_created_at_id', ['createdAt', 'id'])
@Check('silence_ends_after_start', '"endsAt" >= "startsAt"')
@Check(
  'silence_has_matcher',
  'num_nonnulls("workerIds", "nameContains", "awsRegion", "kinds", "severities") > 0',
)
export class Silence implements Node {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', array: true, nullable: true })
  workerIds: string[] | null;

  @Column({ type: 'text', nullable: true })
  nameContains: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  awsRegion: string | null;

  @Column({ type: 'enum', enum: AlertKind, enumName: 'alert_kind', array: true, nullable: true })
  kinds: AlertKind[] | null;

  @Column({
    type: 'enum',
    enum: AlertSeverity,
    enumName: 'alert_severity',
    array: true,
    nullable: true,
  })
  severities: AlertSeverity[] | null;

  @Field()
  @Column(timestamp)
  startsAt: Date;

  @Field()
  @Column(timestamp)
  endsAt: Date;

  @Field()
  @Column({ type: 'text' })
  comment: string;

  @Field({ description: "Who created it (the caller's name)." })
  @Column({ type: 'text' })
  createdBy: string;

  @Field()
  @Column(timestamp)
  createdAt: Date;
}
