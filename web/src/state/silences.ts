import { signal } from '@preact/signals';
import { age, ALERT_KIND_LABEL, plural, relative } from '../format';
import type { SilenceRowFragment, SilenceState } from '../generated/graphql';

export type Silence = SilenceRowFragment;
/** Matchers as a silence has them, or as a draft gives them: those left out match everything. */
export type MatcherSet = Partial<Silence['matchers']>;

/** Every silence the API lists, whatever its state. */
export const silences = signal<readonly Silence[]>([]);

/** Expired ones are history: the latest few are enough to see what just ended. */
export const EXPIRED_SHOWN = 10;
/** Workers named in a silence's description before the rest are only counted. */
const NAMED_WORKERS = 3;

/** Puts a silence the API just answered with in place, before the next load lists it. */
export function putSilence(silence: Silence): void {
  const others = silences.value.filter((existing) => existing.id !== silence.id);
  silences.value = [silence, ...others];
}

const STATE_ORDER: Record<SilenceState, number> = { PENDING: 0, ACTIVE: 1, EXPIRED: 2 };

/**
 * The state at `at`, by this page's clock: a silence that has started or ended since it was
 * fetched shows so at once. Never earlier than the API said, which a slow clock would make it.
 */
export function stateAt(silence: Silence, at: number): SilenceState {
  const local: SilenceState =
    at < Date.parse(silence.startsAt)
      ? 'PENDING'
      : at < Date.parse(silence.endsAt)
        ? 'ACTIVE'
        : 'EXPIRED';
  return STATE_ORDER[local] > STATE_ORDER[silence.state] ? local : silence.state;
}

export interface ShownSilence {
  silence: Silence;
  state: SilenceState;
}

/**
 * Active ones first, those ending soonest on top; then pending ones, starting soonest; then the
 * last few that ended, latest first.
 */
export function silencesInOrder(
  all: readonly Silence[],
  at: number,
): { current: ShownSilence[]; expired: ShownSilence[] } {
  const shown = all.map((silence) => ({ silence, state: stateAt(silence, at) }));
  const time = (entry: ShownSilence) =>
    Date.parse(entry.state === 'PENDING' ? entry.silence.startsAt : entry.silence.endsAt);
  const current = shown
    .filter((entry) => entry.state !== 'EXPIRED')
    .sort((a, b) => STATE_ORDER[b.state] - STATE_ORDER[a.state] || time(a) - time(b));
  const expired = shown
    .filter((entry) => entry.state === 'EXPIRED')
    .sort((a, b) => time(b) - time(a))
    .slice(0, EXPIRED_SHOWN);
  return { current, expired };
}

/**
 * "started 10 min ago · ends in 45 min", "starts in 1 h · ends in 3 h", "ended 2 min ago". What
 * has happened reads as past even when the API's clock is a little ahead of `at`.
 */
export function silenceWhen(silence: Silence, state: SilenceState, at: number): string {
  switch (state) {
    case 'PENDING':
      return `starts ${relative(silence.startsAt, at)} · ends ${relative(silence.endsAt, at)}`;
    case 'ACTIVE':
      return `started ${age(silence.startsAt, at)} · ends ${relative(silence.endsAt, at)}`;
    case 'EXPIRED':
      return `ended ${age(silence.endsAt, at)}`;
  }
}

/**
 * What a silence holds back, in words: "CPU high alerts of cml-worker-01", "Every alert of
 * cml-worker-01", "Critical alerts in us-east-1". Matchers left out match everything.
 */
export function describeMatchers(
  matchers: MatcherSet,
  nameOf: (workerId: string) => string | undefined,
): string {
  const severities = matchers.severities?.map((severity) => severity.toLowerCase()).join(' or ');
  const kinds = matchers.kinds?.map((kind) => ALERT_KIND_LABEL[kind]).join(' or ');
  const what = [severities, kinds].filter(Boolean).join(' ');
  const parts = [what ? `${what} alerts` : 'every alert'];
  if (matchers.workerIds) {
    parts.push(`of ${workerList(matchers.workerIds, nameOf)}`);
  }
  if (matchers.nameContains) {
    parts.push(`on workers whose name contains "${matchers.nameContains}"`);
  }
  if (matchers.awsRegion) {
    parts.push(`in ${matchers.awsRegion}`);
  }
  const sentence = parts.join(' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** "a, b and c", or "a, b, c and 4 more workers"; one the page does not know, by its id's start. */
function workerList(ids: readonly string[], nameOf: (id: string) => string | undefined): string {
  const names = ids.slice(0, NAMED_WORKERS).map((id) => nameOf(id) ?? `worker ${id.slice(0, 8)}`);
  const rest = ids.length - names.length;
  if (rest > 0) {
    return `${names.join(', ')} and ${plural(rest, 'more worker')}`;
  }
  const last = names.pop() ?? '';
  return names.length > 0 ? `${names.join(', ')} and ${last}` : last;
}
