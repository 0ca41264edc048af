import { ArrayMaxSize, IsOptional, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { AuditOutcome } from '../../entities/audit-outcome.enum';
import { PageArgs } from './page.args';

/** More than there are mutations: a longer list is a mistake, not a filter. */
export const AUDIT_OPERATIONS_MAX = 100;

@InputType()
export class AuditEventFilter {
  @Field(() => String, { nullable: true })
  actor?: string | null;

  @Field(() => ID, { nullable: true })
  workerId?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(AUDIT_OPERATIONS_MAX, {
    message: `operations may name at most ${AUDIT_OPERATIONS_MAX} mutations`,
  })
  operations?: string[] | null;

  @Field(() => AuditOutcome, { nullable: true })
  outcome?: AuditOutcome | null;

  @Field(() => Date, { nullable: true })
  since?: Date | null;
}

@ArgsType()
export class AuditEventsArgs extends PageArgs {
  @Field(() => AuditEventFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: AuditEventFilter | null;
}
