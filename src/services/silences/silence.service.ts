import type { Silence } from '../../entities/silence.entity';
import {
  type SilenceMatchers,
  type SilenceState,
  silenceStateAt,
} from '../../entities/silence.types';
import { notFound } from '../../errors/domain-error';
import type { Logger } from '../../logger';
import type { SilenceRepository } from '../../repositories/silence.repository';
import type { WorkerRepository } from '../../repositories/worker.repository';
import { type CreateSilenceCommand, newSilence } from './new-silence';
import { type SilenceFacts, type SilenceMatcherSet, silenceMatches } from './silence-matchers';

export type { CreateSilenceCommand };

/** At most this many silences are listed: the newest. */
export const SILENCES_LISTED_MAX = 1000;

/** An alert as silences see it. */
export type SilencedAlert = Pick<SilenceFacts, 'workerId' | 'kind' | 'severity'> & { id: string };

/** An active silence that can tell whether it holds an alert back. */
export interface ActiveSilence extends SilenceMatcherSet {
  matches(facts: SilenceFacts): boolean;
}

/**
 * Silences: created and expired by operators, matched against alerts for the notification
 * engine and for `Alert.silenced`. A silence's state follows from its times and this clock.
 */
export class SilenceService {
  constructor(
    private readonly silences: SilenceRepository,
    private readonly workers: Pick<WorkerRepository, 'namesAndRegions'>,
    /** Told once a silence that was active has been ended early, to release what it held. */
    private readonly onEnded: () => Promise<void>,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(command: CreateSilenceCommand, createdBy: string): Promise<Silence> {
    return this.silences.insert(newSilence(command, createdBy, this.now()));
  }

  /** Idempotent: a silence that has ended already is returned as it is. */
  async expire(id: string): Promise<Silence> {
    const expired = await this.silences.expire(id, this.now());
    if (!expired) {
      throw notFound(`no silence with id ${id}`, 'id');
    }
    if (expired.endedActive) {
      try {
        await this.onEnded();
      } catch (error) {
        // It has ended all the same: what it held back is looked at again when it was due to end.
        this.logger.error(
          { err: error, silenceId: id },
          'could not release the notifications an expired silence held back',
        );
      }
    }
    return expired.silence;
  }

  /** Newest first, at most SILENCES_LISTED_MAX. */
  list(state?: SilenceState | null): Promise<Silence[]> {
    return this.silences.list({ state, at: this.now(), limit: SILENCES_LISTED_MAX });
  }

  stateOf(silence: Pick<Silence, 'startsAt' | 'endsAt'>): SilenceState {
    return silenceStateAt(silence, this.now());
  }

  /** The silences active at `at`, in one statement. */
  async active(at: Date): Promise<SilenceMatcherSet[]> {
    const silences = await this.silences.activeAt(at);
    return silences.map((silence) => ({
      id: silence.id,
      endsAt: silence.endsAt,
      matchers: matchersOf(silence),
    }));
  }

  /** The silences active at `at`, each able to say whether it holds an alert back. */
  async muting(at: Date): Promise<ActiveSilence[]> {
    const silences = await this.active(at);
    return silences.map((silence) => ({
      ...silence,
      matches: (facts) => silenceMatches(silence.matchers, facts),
    }));
  }

  /**
   * The ids of the alerts an active silence matches: one statement for the silences, and only
   * when one of them matches on names or regions, one for the workers'.
   */
  async silencedAmong(alerts: readonly SilencedAlert[], at: Date): Promise<Set<string>> {
    if (alerts.length === 0) {
      return new Set();
    }
    const silences = await this.active(at);
    if (silences.length === 0) {
      return new Set();
    }
    const onPlaces = silences.some(
      ({ matchers }) => matchers.nameContains !== null || matchers.awsRegion !== null,
    );
    const workerIds = [...new Set(alerts.map((alert) => alert.workerId))];
    const places = onPlaces ? await this.workers.namesAndRegions(workerIds) : [];
    const placeOf = new Map(places.map((place) => [place.id, place]));
    const silenced = alerts.filter((alert) => {
      const place = placeOf.get(alert.workerId);
      const facts: SilenceFacts = {
        workerId: alert.workerId,
        workerName: place?.name ?? null,
        awsRegion: place?.awsRegion ?? null,
        kind: alert.kind,
        severity: alert.severity,
      };
      return silences.some((silence) => silenceMatches(silence.matchers, facts));
    });
    return new Set(silenced.map((alert) => alert.id));
  }
}

export function matchersOf(silence: Silence): SilenceMatchers {
  const { workerIds, nameContains, awsRegion, kinds, severities } = silence;
  return { workerIds, nameContains, awsRegion, kinds, severities };
}
