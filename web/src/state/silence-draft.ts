import { signal } from '@preact/signals';
import type { AlertRowFragment, CreateSilenceInput } from '../generated/graphql';
import type { MatcherSet } from './silences';

/** What a silence is made from: one alert (its worker and kind) or one worker (every kind). */
export type SilenceTarget =
  | { from: 'alert'; alert: Pick<AlertRowFragment, 'workerId' | 'kind' | 'worker'> }
  | { from: 'worker'; worker: { id: string; name: string } };

/** An alert's silence may hold back its kind on its worker alone, or in its whole region. */
export type SilenceScope = 'worker' | 'region';

export const DURATIONS = [
  { label: '30 min', minutes: 30 },
  { label: '1 h', minutes: 60 },
  { label: '2 h', minutes: 120 },
  { label: '4 h', minutes: 240 },
  { label: '1 day', minutes: 1_440 },
] as const;

export type DurationMinutes = (typeof DURATIONS)[number]['minutes'];

/** The silence being drafted in the dialog; null while none is. */
export const silenceTarget = signal<SilenceTarget | null>(null);

export const targetName = (target: SilenceTarget): string =>
  target.from === 'worker'
    ? target.worker.name
    : (target.alert.worker?.name ?? target.alert.workerId);

/** The region a silence could be widened to: an alert's worker's, if the worker is still known. */
export const widenableRegion = (target: SilenceTarget): string | null =>
  target.from === 'alert' ? (target.alert.worker?.awsRegion ?? null) : null;

export function draftMatchers(target: SilenceTarget, scope: SilenceScope): MatcherSet {
  if (target.from === 'worker') {
    return { workerIds: [target.worker.id] };
  }
  const region = widenableRegion(target);
  return scope === 'region' && region
    ? { awsRegion: region, kinds: [target.alert.kind] }
    : { workerIds: [target.alert.workerId], kinds: [target.alert.kind] };
}

export const endsAtAfter = (minutes: DurationMinutes, at: number): string =>
  new Date(at + minutes * 60_000).toISOString();

/** Starting when the API receives it, and ending `minutes` after `at`, the page's now. */
export const silenceInput = (
  target: SilenceTarget,
  scope: SilenceScope,
  minutes: DurationMinutes,
  comment: string,
  at: number,
): CreateSilenceInput => ({
  matchers: draftMatchers(target, scope),
  endsAt: endsAtAfter(minutes, at),
  comment: comment.trim(),
});
