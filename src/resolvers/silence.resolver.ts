import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { callerOf } from '../auth/auth-checker';
import { Role } from '../auth/principal';
import { Silence } from '../entities/silence.entity';
import { CreateSilenceInput, SilenceMatchers, SilenceState } from '../entities/silence.types';
import type { RequestContext } from '../schema/context';
import { matchersOf, SilenceService } from '../services/silences/silence.service';

@Resolver(() => Silence)
export class SilenceResolver {
  constructor(private readonly silenceService: SilenceService) {}

  @Authorized(Role.VIEWER)
  @Query(() => [Silence])
  silences(
    @Arg('state', () => SilenceState, { nullable: true }) state?: SilenceState | null,
  ): Promise<Silence[]> {
    return this.silenceService.list(state);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => Silence)
  createSilence(
    @Arg('input', () => CreateSilenceInput) input: CreateSilenceInput,
    @Ctx() context: RequestContext,
  ): Promise<Silence> {
    return this.silenceService.create(input, callerOf(context).name);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => Silence, { description: 'Ends a silence now. Returns it expired.' })
  expireSilence(@Arg('id', () => ID) id: string): Promise<Silence> {
    return this.silenceService.expire(id);
  }

  @FieldResolver(() => SilenceMatchers)
  matchers(@Root() silence: Silence): SilenceMatchers {
    return matchersOf(silence);
  }

  @FieldResolver(() => SilenceState)
  state(@Root() silence: Silence): SilenceState {
    return this.silenceService.stateOf(silence);
  }
}
