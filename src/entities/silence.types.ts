import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { AlertKind, AlertSeverity } from './alert.enums';

/** Where a silence stands at a given time; decided by its times alone, never stored. */
export enum SilenceState {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
}

registerEnumType(SilenceState, { name: 'SilenceState' });

export function silenceStateAt(silence: { startsAt: Date; endsAt: Date }, at: Date): SilenceState {
  if (silence.endsAt.getTime() <= at.getTime()) {
    return SilenceState.EXPIRED;
  }
  return silence.startsAt.getTime() > at.getTime() ? SilenceState.PENDING : SilenceState.ACTIVE;
}

/** What a silence matches alerts on; null matches every alert. */
@ObjectType({ simpleResolvers: true })
export class SilenceMatchers {
  @Field(() => [ID], { nullable: true })
  workerIds: string[] | null;

  @Field(() => String, { nullable: true })
  nameContains: string | null;

  @Field(() => String, { nullable: true })
  awsRegion: string | null;

  @Field(() => [AlertKind], { nullable: true })
  kinds: AlertKind[] | null;

  @Field(() => [AlertSeverity], { nullable: true })
  severities: AlertSeverity[] | null;
}

@InputType()
export class SilenceMatchersInput {
  @Field(() => [ID], { nullable: true })
  workerIds?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: "Case-insensitive substring of the worker's name.",
  })
  nameContains?: string | null;

  @Field(() => String, { nullable: true })
  awsRegion?: string | null;

  @Field(() => [AlertKind], { nullable: true })
  kinds?: AlertKind[] | null;

  @Field(() => [AlertSeverity], { nullable: true })
  severities?: AlertSeverity[] | null;
}

@InputType({ description: 'Matchers left out match everything; the ones given must all match.' })
export class CreateSilenceInput {
  @Field(() => SilenceMatchersInput)
  matchers: SilenceMatchersInput;

  @Field(() => Date, { nullable: true, description: 'Now when omitted.' })
  startsAt?: Date | null;

  @Field(() => Date)
  endsAt: Date;

  @Field(() => String)
  comment: string;
}
