import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Role } from '../../auth/principal';

registerEnumType(Role, {
  name: 'Role',
  description: 'What a caller may do. An operator may do everything a viewer may.',
});

@ObjectType({
  simpleResolvers: true,
  description: 'The caller, as the service sees their credential.',
})
export class Viewer {
  @Field({
    description:
      "The API key's name, the token's preferred_username (else sub), or anonymous when authentication is off.",
  })
  name: string;

  @Field(() => [Role], {
    description: 'Granted roles, implied ones included (an operator is also a viewer).',
  })
  roles: Role[];

  @Field({
    description:
      'False when the service runs without API keys or JWT: everybody is the anonymous operator.',
  })
  authenticationEnabled: boolean;
}
