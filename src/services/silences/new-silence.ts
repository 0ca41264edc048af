import { AWS_REGION_PATTERN } from '../../config';
import type { AlertKind, AlertSeverity } from '../../entities/alert.enums';
import type { SilenceMatchers } from '../../entities/silence.types';
import { badInput } from '../../errors/domain-error';
import { isUuid } from '../../lib/uuid';
import type { NewSilence } from '../../repositories/silence.repository';

export const WORKER_IDS_MAX = 1000;
export const NAME_CONTAINS_MAX_LENGTH = 200;
export const COMMENT_MAX_LENGTH = 1000;

/** A matcher left out (or null) matches every alert. */
export interface CreateSilenceCommand {
  matchers: {
    workerIds?: readonly string[] | null;
    nameContains?: string | null;
    awsRegion?: string | null;
    kinds?: readonly AlertKind[] | null;
    severities?: readonly AlertSeverity[] | null;
  };
  /** Now when left out. */
  startsAt?: Date | null;
  endsAt: Date;
  comment: string;
}

/** The row a valid command makes; a DomainError (BAD_USER_INPUT, its field named) otherwise. */
export function newSilence(
  command: CreateSilenceCommand,
  createdBy: string,
  now: Date,
): NewSilence {
  const matchers = matchersOf(command.matchers);
  if (Object.values(matchers).every((matcher) => matcher === null)) {
    throw badInput(
      'matchers',
      'matchers must give at least one matcher: a silence of everything is refused',
    );
  }
  const comment = command.comment.trim();
  if (comment.length === 0 || comment.length > COMMENT_MAX_LENGTH) {
    throw badInput('comment', `comment must be 1-${COMMENT_MAX_LENGTH} characters`);
  }
  const startsAt = command.startsAt ?? now;
  const { endsAt } = command;
  if (endsAt <= startsAt) {
    throw badInput('endsAt', 'endsAt must be after startsAt');
  }
  if (endsAt <= now) {
    throw badInput('endsAt', 'endsAt must be in the future');
  }
  if (endsAt > oneYearAfter(startsAt)) {
    throw badInput('endsAt', 'endsAt must be at most one year after startsAt');
  }
  return { ...matchers, startsAt, endsAt, comment, createdBy, createdAt: now };
}

function matchersOf(input: CreateSilenceCommand['matchers']): SilenceMatchers {
  return {
    workerIds: workerIdsOf(input.workerIds),
    nameContains: nameContainsOf(input.nameContains),
    awsRegion: awsRegionOf(input.awsRegion),
    kinds: nonEmpty('matchers.kinds', input.kinds),
    severities: nonEmpty('matchers.severities', input.severities),
  };
}

function workerIdsOf(ids: readonly string[] | null | undefined): string[] | null {
  if (ids === null || ids === undefined) {
    return null;
  }
  if (ids.length === 0 || ids.length > WORKER_IDS_MAX) {
    throw badInput(
      'matchers.workerIds',
      `matchers.workerIds must list 1-${WORKER_IDS_MAX} worker ids`,
    );
  }
  const malformed = ids.find((id) => !isUuid(id));
  if (malformed !== undefined) {
    throw badInput(
      'matchers.workerIds',
      `matchers.workerIds holds ${JSON.stringify(malformed)}, not a worker id`,
    );
  }
  // Postgres spells UUIDs in lowercase: alerts name their workers that way.
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

function nameContainsOf(text: string | null | undefined): string | null {
  if (text === null || text === undefined) {
    return null;
  }
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > NAME_CONTAINS_MAX_LENGTH) {
    throw badInput(
      'matchers.nameContains',
      `matchers.nameContains must be 1-${NAME_CONTAINS_MAX_LENGTH} characters`,
    );
  }
  return trimmed;
}

function awsRegionOf(region: string | null | undefined): string | null {
  if (region === null || region === undefined) {
    return null;
  }
  if (!AWS_REGION_PATTERN.test(region)) {
    throw badInput(
      'matchers.awsRegion',
      'matchers.awsRegion must be an AWS region such as eu-west-1',
    );
  }
  return region;
}

function nonEmpty<T extends string>(
  field: string,
  values: readonly T[] | null | undefined,
): T[] | null {
  if (values === null || values === undefined) {
    return null;
  }
  if (values.length === 0) {
    throw badInput(field, `${field} must not be empty: leave it out to match every alert`);
  }
  return [...new Set(values)];
}

function oneYearAfter(time: Date): Date {
  const later = new Date(time);
  later.setUTCFullYear(later.getUTCFullYear() + 1);
  return later;
}
