import type { CmlRowFragment, DashboardWorkerMetricsSubscription } from '../generated/graphql';
import { plural } from '../format';
import type { DetailWorker } from './detail';

/** A poll's sample as the live connection brings it. */
export type LiveSample = DashboardWorkerMetricsSubscription['workerMetrics'];
type CmlSample = Pick<LiveSample, 'cmlStatus' | 'labsRunning' | 'nodesRunning'>;

export type DetailLab = DetailWorker['labs'][number];
export type License = NonNullable<DetailWorker['cml']['license']>;

/**
 * The row's CML state after a sample, as the service stores it, so that the next refetch moves
 * nothing: a worker that is not running has no labs, and a failed read keeps the last counts.
 * Samples carry no error: the one known stays while the status does; a new one comes with the
 * next refetch.
 */
export function cmlAfterSample(current: CmlRowFragment, sample: CmlSample): CmlRowFragment {
  const status = sample.cmlStatus;
  if (status === null) {
    return current;
  }
  if (status === 'NOT_APPLICABLE') {
    return { status, error: null, labsRunning: null, nodesRunning: null };
  }
  const read = sample.labsRunning !== null || sample.nodesRunning !== null;
  return {
    status,
    error: status === current.status && status !== 'AVAILABLE' ? current.error : null,
    labsRunning: read ? sample.labsRunning : current.labsRunning,
    nodesRunning: read ? sample.nodesRunning : current.nodesRunning,
  };
}

export const sameCml = (a: CmlRowFragment, b: CmlRowFragment): boolean =>
  a.status === b.status &&
  a.error === b.error &&
  a.labsRunning === b.labsRunning &&
  a.nodesRunning === b.nodesRunning;

/** What runs on a worker, in a few characters: "2 labs · 14 nodes", "no lab", or "—" unknown. */
export function labsSummary({
  labsRunning,
  nodesRunning,
}: Pick<CmlRowFragment, 'labsRunning' | 'nodesRunning'>): string {
  if (labsRunning === null) {
    return '—';
  }
  if (labsRunning === 0) {
    return 'no lab';
  }
  return nodesRunning === null
    ? plural(labsRunning, 'lab')
    : `${plural(labsRunning, 'lab')} · ${plural(nodesRunning, 'node')}`;
}

/** Titles as people count them (lab-2 before lab-10). */
const collator = new Intl.Collator(undefined, { numeric: true });

/** Running labs first: they are what a stop or a license problem would hit. */
export const labsInOrder = (labs: readonly DetailLab[]): DetailLab[] =>
  [...labs].sort(
    (a, b) => Number(b.running) - Number(a.running) || collator.compare(a.title, b.title),
  );

export type LicenseStanding = 'unknown' | 'valid' | 'expiring' | 'expired' | 'invalid';

/**
 * How a license stands. "Expiring" is the service's word, a firing LICENSE_EXPIRING alert, so
 * that the page and the alerts agree whatever CML_LICENSE_WARNING_DAYS says.
 */
export function licenseStanding(
  license: Pick<License, 'valid' | 'expiresAt'> | null,
  expiringAlertFiring: boolean,
  now: number,
): LicenseStanding {
  if (!license) {
    return 'unknown';
  }
  if (license.expiresAt !== null && Date.parse(license.expiresAt) <= now) {
    return 'expired';
  }
  if (!license.valid) {
    return 'invalid';
  }
  return expiringAlertFiring ? 'expiring' : 'valid';
}

/**
 * When CML was last asked. A poll of a running worker asks it, and the service records the
 * poll's time for both, so a live sample moves this too, though it does not carry it.
 */
export function cmlCheckedAt(
  live: Pick<CmlRowFragment, 'status'>,
  lastPolledAt: string | null,
  fetchedCheckedAt: string | null,
): string | null {
  const asked =
    live.status === 'AVAILABLE' || live.status === 'UNAVAILABLE' || live.status === 'ERROR';
  if (!asked || lastPolledAt === null) {
    return fetchedCheckedAt;
  }
  return fetchedCheckedAt !== null && Date.parse(fetchedCheckedAt) > Date.parse(lastPolledAt)
    ? fetchedCheckedAt
    : lastPolledAt;
}
