import { Field, ID, InterfaceType } from 'type-graphql';

/**
 * Relay's object identification: an object with an id anyone may fetch again by `node(id)`.
 * Ids are UUIDs, unique across types. type-graphql tells the implementations apart by class,
 * so `node` answers entity instances, never plain rows.
 */
@InterfaceType({
  description: 'An object that node(id) fetches again by its id, unique across types.',
})
export abstract class Node {
  @Field(() => ID)
  id: string;
}
