import { registerEnumType } from 'type-graphql';

/** What made a worker's status change. */
export enum ChangeSource {
  POLL = 'POLL',
  MUTATION = 'MUTATION',
  POLICY = 'POLICY',
}

registerEnumType(ChangeSource, {
  name: 'ChangeSource',
  valuesConfig: {
    POLL: { description: 'A scheduled or requested poll saw it.' },
    MUTATION: { description: 'A mutation asked for it.' },
    POLICY: { description: 'The service acted on its own (auto-remediation, idle policy).' },
  },
});

/**
 * Where a status change comes from, carried from the resolver (or the policy) down to where the
 * change is stored: the actor is the caller's name for a mutation ("anonymous" when
 * authentication is off), null otherwise.
 */
export interface ChangeOrigin {
  source: ChangeSource;
  actor: string | null;
}

export const POLLED: Readonly<ChangeOrigin> = Object.freeze({
  source: ChangeSource.POLL,
  actor: null,
});

export const BY_POLICY: Readonly<ChangeOrigin> = Object.freeze({
  source: ChangeSource.POLICY,
  actor: null,
});

export function byCaller(name: string): ChangeOrigin {
  return { source: ChangeSource.MUTATION, actor: name };
}
