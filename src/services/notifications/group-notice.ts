/**
 * What one notification tells one receiver: a group of alerts sharing the grouping labels, as
 * stored with its delivery row (plain JSON, dates as ISO strings) so that every retry sends the
 * same facts, even after the alerts, the group or the worker are gone.
 */

/**
 * FIRING: something in the group fired since its previous notification. RESOLVED: only
 * resolutions. REMINDER: nothing changed, alerts still fire past the repeat interval.
 * ACKNOWLEDGED: an operator acknowledged (one alert for CloudEvents, the whole group for
 * PagerDuty and Opsgenie).
 */
export type NoticeType = 'FIRING' | 'RESOLVED' | 'REMINDER' | 'ACKNOWLEDGED';

/** The labels notifications are grouped by (WORKER_NOTIFICATION_GROUP_BY). */
export type GroupLabel = 'kind' | 'severity' | 'region' | 'worker';

export const GROUP_LABELS: readonly GroupLabel[] = ['kind', 'severity', 'region', 'worker'];

/** Most alerts one notice lists in each of `firing` and `resolved`; the counts tell the rest. */
export const NOTICE_ALERTS_MAX = 500;

export interface NoticeWorker {
  id: string;
  name: string;
  awsInstanceId: string;
  awsRegion: string;
}

export interface NoticeAlert {
  id: string;
  workerId: string;
  kind: string;
  /** RESOLVED in `firing` for an event: an alert stored already resolved (a termination). */
  state: 'FIRING' | 'RESOLVED';
  severity: 'INFO' | 'WARNING' | 'CRITICAL';
  value: number | null;
  threshold: number | null;
  resolvedValue: number | null;
  message: string;
  resolution: string | null;
  startedAt: string;
  resolvedAt: string | null;
  acknowledgedAt: string | null;
  /** Null when the worker was removed. */
  worker: NoticeWorker | null;
  /** In `firing`: not in any earlier notification of this group. */
  isNew: boolean;
  /** The worker's page in the dashboard (`${PUBLIC_URL}/#/workers/<id>`); null without PUBLIC_URL. */
  link: string | null;
}

export interface GroupNotice {
  /** Stable across retries: `${groupId}:${sequence}`, `${alertId}:acknowledged`, ... */
  eventId: string;
  type: NoticeType;
  occurredAt: string;
  group: {
    id: string;
    /** The grouping labels as one string, e.g. `kind=CPU_HIGH,region=us-east-1,severity=WARNING`. */
    key: string;
    labels: Partial<Record<GroupLabel, string>>;
    /** PagerDuty's dedup_key and Opsgenie's alias: the same for every notification of the group. */
    dedupKey: string;
  };
  /** The group's alerts firing now and not silenced, new ones first; at most NOTICE_ALERTS_MAX. */
  firing: NoticeAlert[];
  firingCount: number;
  /** Alerts resolved since the group's previous notification; at most NOTICE_ALERTS_MAX. */
  resolved: NoticeAlert[];
  resolvedCount: number;
  /** Nothing of the group fires any more: PagerDuty resolves its incident, Opsgenie closes its alert. */
  groupResolved: boolean;
  /** The worker's page when the group holds one worker, the dashboard otherwise; null without PUBLIC_URL. */
  link: string | null;
}
