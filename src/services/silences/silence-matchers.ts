import type { SilenceMatchers } from '../../entities/silence.types';

/** What silences know of an alert: its own labels, and its worker's name and region. */
export interface SilenceFacts {
  workerId: string;
  /** Null when the worker is not known (any more): a name matcher then does not match. */
  workerName: string | null;
  awsRegion: string | null;
  kind: string;
  severity: string;
}

/** An active silence as the notification engine needs it. */
export interface SilenceMatcherSet {
  id: string;
  endsAt: Date;
  matchers: SilenceMatchers;
}

/** Every matcher given must match; a matcher left out (null) matches every alert. */
export function silenceMatches(matchers: SilenceMatchers, facts: SilenceFacts): boolean {
  const { workerIds, nameContains, awsRegion, kinds, severities } = matchers;
  return (
    isListed(workerIds, facts.workerId) &&
    (nameContains === null || nameHas(facts.workerName, nameContains)) &&
    (awsRegion === null || facts.awsRegion === awsRegion) &&
    isListed(kinds, facts.kind) &&
    isListed(severities, facts.severity)
  );
}

function isListed(values: readonly string[] | null, value: string): boolean {
  return values === null || values.includes(value);
}

function nameHas(name: string | null, part: string): boolean {
  return name !== null && name.toLowerCase().includes(part.toLowerCase());
}
