import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum CmlServiceStatus {
  AVAILABLE = 'AVAILABLE',
  UNAVAILABLE = 'UNAVAILABLE',
  ERROR = 'ERROR',
  NOT_APPLICABLE = 'NOT_APPLICABLE',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(CmlServiceStatus, {
  name: 'CmlServiceStatus',
  description: "The CML controller's API on a worker, as the last poll saw it.",
  valuesConfig: {
    AVAILABLE: { description: 'The API answered.' },
    UNAVAILABLE: {
      description: 'The instance runs but the API did not answer (refused, timed out, TLS failed).',
    },
    ERROR: {
      description: 'The API answered with an error, or refused the configured credentials.',
    },
    NOT_APPLICABLE: { description: 'The instance is not running, so there is nothing to ask.' },
    UNKNOWN: { description: 'Not polled yet.' },
  },
});

/** Lab states in which a lab's nodes use the worker: queued to start, starting, or up. */
export const RUNNING_LAB_STATES: ReadonlySet<string> = new Set(['STARTED', 'BOOTED', 'QUEUED']);

@ObjectType({ simpleResolvers: true })
export class CmlLicense {
  @Field(() => String, {
    nullable: true,
    description:
      'Registration and authorization status as CML reports them (e.g. COMPLETED, IN_COMPLIANCE).',
  })
  registrationStatus: string | null;

  @Field(() => String, { nullable: true })
  authorizationStatus: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'The earlier of the registration and authorization expiry times.',
  })
  expiresAt: Date | null;

  @Field({ description: 'True when registered and in compliance.' })
  valid: boolean;
}

@ObjectType({ simpleResolvers: true })
export class Lab {
  @Field(() => ID)
  id: string;

  @Field()
  title: string;

  @Field({ description: 'As CML reports it: STARTED, STOPPED, DEFINED_ON_CORE, QUEUED, BOOTED.' })
  state: string;

  @Field()
  get running(): boolean {
    return RUNNING_LAB_STATES.has(this.state);
  }

  @Field(() => String, { nullable: true })
  owner: string | null;

  @Field(() => Int)
  nodeCount: number;

  @Field(() => Date, { nullable: true })
  modifiedAt: Date | null;
}

@ObjectType({ simpleResolvers: true })
export class CmlState {
  @Field(() => CmlServiceStatus)
  status: CmlServiceStatus;

  @Field(() => String, { nullable: true })
  version: string | null;

  @Field(() => Boolean, { nullable: true })
  ready: boolean | null;

  @Field(() => CmlLicense, { nullable: true })
  license: CmlLicense | null;

  @Field(() => Int, { nullable: true })
  labsTotal: number | null;

  @Field(() => Int, { nullable: true })
  labsRunning: number | null;

  @Field(() => Int, { nullable: true })
  nodesTotal: number | null;

  @Field(() => Int, { nullable: true })
  nodesRunning: number | null;

  @Field(() => Date, { nullable: true })
  checkedAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description: "Why the last check failed, in the service's words; null after a success.",
  })
  error: string | null;
}

/** A lab as the worker row keeps it (JSON): the GraphQL Lab is built from it. */
export interface StoredLab {
  id: string;
  title: string;
  state: string;
  owner: string | null;
  nodeCount: number;
  modifiedAt: string | null;
}

export interface StoredLicense {
  registrationStatus: string | null;
  authorizationStatus: string | null;
  expiresAt: string | null;
  valid: boolean;
}

export function toLab(stored: StoredLab): Lab {
  return Object.assign(new Lab(), {
    ...stored,
    modifiedAt: stored.modifiedAt === null ? null : new Date(stored.modifiedAt),
  });
}

export function toLicense(stored: StoredLicense | null): CmlLicense | null {
  return (
    stored && {
      ...stored,
      expiresAt: stored.expiresAt === null ? null : new Date(stored.expiresAt),
    }
  );
}
