import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { callerOf } from '../auth/auth-checker';
import type { RequestContext } from '../schema/context';
import { Viewer } from '../schema/types/viewer.type';

@Resolver()
export class ViewerResolver {
  @Authorized()
  @Query(() => Viewer, {
    description:
      'Who is calling and with which roles: what a page needs to decide which actions to offer.',
  })
  viewer(@Ctx() context: RequestContext): Viewer {
    const { name, roles, source } = callerOf(context);
    return { name, roles, authenticationEnabled: source !== 'none' };
  }
}
