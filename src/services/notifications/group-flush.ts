import type { NotificationGroup } from '../../entities/notification-group.entity';
import type { GroupOutcome, MemberRow } from '../../repositories/notification-group.repository';
import { resolvedAsItFired } from '../alerts/alert-rules';
import type { SilenceFacts } from '../silences/silence-matchers';
import {
  type GroupLabel,
  type GroupNotice,
  NOTICE_ALERTS_MAX,
  type NoticeAlert,
  type NoticeType,
  type NoticeWorker,
} from './group-notice';

/** An active silence, as a flush needs it. */
export interface MutingSilence {
  endsAt: Date;
  matches(facts: SilenceFacts): boolean;
}

export interface FlushInput {
  group: Pick<
    NotificationGroup,
    'id' | 'groupKey' | 'labels' | 'sequence' | 'flushAt' | 'remindAt' | 'lastFlushAt'
  >;
  members: readonly MemberRow[];
  silences: readonly MutingSilence[];
  now: Date;
  repeatIntervalMs: number | undefined;
  publicUrl: string | undefined;
}

export interface FlushDecision {
  /** Null: nothing to tell the receiver this time. */
  notice: GroupNotice | null;
  /** Every alert the notice tells of (its lists may be cut at NOTICE_ALERTS_MAX). */
  alertIds: string[];
  /** Alerts reminded of. */
  reminded: string[];
  outcome: GroupOutcome;
}

/**
 * What one group's receiver is told now, and the group's state after it, the way Alertmanager
 * does it: alerts new since the previous notification, resolutions of alerts it was told of,
 * or a reminder when nothing changed. A silenced alert is held back until its silence ends; a
 * resolution of an alert the receiver was told of still goes (its incident should close).
 */
export function decideFlush(input: FlushInput): FlushDecision {
  const { group, now } = input;
  const fresh: MemberRow[] = [];
  const still: MemberRow[] = [];
  const resolved: MemberRow[] = [];
  const notifiedAlertIds: string[] = [];
  const muted: GroupOutcome['muted'] = [];
  const removedAlertIds: string[] = [];
  let firingLeft = 0;
  let notifiedFiringLeft = false;
  for (const member of input.members) {
    const { alert } = member;
    const silencedUntil = silencedUntilOf(member, input.silences);
    if (alert.state === 'FIRING') {
      firingLeft += 1;
      if (member.notified) {
        notifiedFiringLeft = true;
        if (silencedUntil === null) {
          still.push(member);
        }
      } else if (silencedUntil !== null) {
        muted.push({ alertId: alert.id, until: silencedUntil });
      } else {
        fresh.push(member);
        notifiedAlertIds.push(alert.id);
        notifiedFiringLeft = true;
      }
      continue;
    }
    removedAlertIds.push(alert.id);
    if (!member.notified && isEvent(member) && silencedUntil === null) {
      fresh.push(member);
    } else if (member.notified) {
      resolved.push(member);
    }
  }

  const reminderDue = group.remindAt !== null && group.remindAt <= now;
  const remindable = still.filter(
    ({ alert }) => alert.acknowledgedAt === null && alert.severity !== 'INFO',
  );
  const type: NoticeType | null =
    fresh.length > 0
      ? 'FIRING'
      : resolved.length > 0
        ? 'RESOLVED'
        : reminderDue && remindable.length > 0
          ? 'REMINDER'
          : null;
  const firing = type === 'REMINDER' ? still : [...fresh, ...still];
  const told = type === null ? [] : [...firing, ...(type === 'REMINDER' ? [] : resolved)];
  const sequence = type === null ? group.sequence : group.sequence + 1;
  const notice =
    type === null
      ? null
      : noticeOf(input, {
          type,
          sequence,
          firing: firing.map((m) => noticeAlertOf(m, fresh.includes(m), input.publicUrl)),
          resolved: resolved.map((m) => noticeAlertOf(m, false, input.publicUrl)),
          groupResolved: !notifiedFiringLeft,
        });

  const sent = notice !== null;
  const repeat = input.repeatIntervalMs;
  const remindAt =
    repeat === undefined || !notifiedFiringLeft
      ? null
      : sent || reminderDue || group.remindAt === null
        ? new Date(now.getTime() + repeat)
        : group.remindAt;
  const mutedUntil = muted.reduce<Date | null>(
    (earliest, { until }) => (earliest === null || until < earliest ? until : earliest),
    null,
  );
  return {
    notice,
    alertIds: told.map((m) => m.alertId),
    reminded: type === 'REMINDER' ? remindable.map((m) => m.alertId) : [],
    outcome: {
      groupId: group.id,
      next:
        firingLeft === 0
          ? null
          : {
              sequence,
              lastFlushAt: sent ? now : group.lastFlushAt,
              flushAt: mutedUntil,
              remindAt,
            },
      notifiedAlertIds,
      muted,
      removedAlertIds,
    },
  };
}

/** The labels an alert is grouped by, and the group's key: the labels in name order. */
export function groupOf(
  by: readonly GroupLabel[],
  alert: { workerId: string; kind: string; severity: string },
  region: string | null,
): { key: string; labels: Record<string, string> } {
  const values: Record<GroupLabel, string> = {
    kind: alert.kind,
    severity: alert.severity,
    region: region ?? 'unknown',
    worker: alert.workerId,
  };
  const names = [...by].sort();
  const labels = Object.fromEntries(names.map((name) => [name, values[name]]));
  return { key: names.map((name) => `${name}=${values[name]}`).join(','), labels };
}

/** PagerDuty's dedup_key and Opsgenie's alias: one incident per group, a new one per new group. */
export function dedupKeyOf(groupId: string): string {
  return `cml-worker-monitor:${groupId}`;
}

export function workerLink(publicUrl: string | undefined, workerId: string): string | null {
  return publicUrl === undefined ? null : `${publicUrl}/#/workers/${encodeURIComponent(workerId)}`;
}

/** The alert as a notice tells of it. */
export function noticeAlertOf(
  member: Pick<MemberRow, 'alert' | 'worker'>,
  isNew: boolean,
  publicUrl: string | undefined,
): NoticeAlert {
  const { alert } = member;
  return {
    id: alert.id,
    workerId: alert.workerId,
    kind: alert.kind,
    state: alert.state,
    severity: alert.severity,
    value: alert.value,
    threshold: alert.threshold,
    resolvedValue: alert.resolvedValue,
    message: alert.message,
    resolution: alert.resolution,
    startedAt: iso(alert.startedAt),
    resolvedAt: alert.resolvedAt === null ? null : iso(alert.resolvedAt),
    acknowledgedAt: alert.acknowledgedAt === null ? null : iso(alert.acknowledgedAt),
    worker: member.worker && workerOf(member.worker),
    isNew,
    link: workerLink(publicUrl, alert.workerId),
  };
}

/** The link of a notice: the worker's page when it tells of one worker, the dashboard otherwise. */
export function noticeLink(
  publicUrl: string | undefined,
  alerts: readonly NoticeAlert[],
): string | null {
  if (publicUrl === undefined) {
    return null;
  }
  const workers = new Set(alerts.map((alert) => alert.workerId));
  const [only] = workers;
  return workers.size === 1 && only !== undefined ? workerLink(publicUrl, only) : `${publicUrl}/`;
}

function noticeOf(
  input: FlushInput,
  parts: {
    type: NoticeType;
    sequence: number;
    firing: NoticeAlert[];
    resolved: NoticeAlert[];
    groupResolved: boolean;
  },
): GroupNotice {
  const { group, now, publicUrl } = input;
  return {
    eventId: `${group.id}:${parts.sequence}`,
    type: parts.type,
    occurredAt: now.toISOString(),
    group: {
      id: group.id,
      key: group.groupKey,
      labels: group.labels,
      dedupKey: dedupKeyOf(group.id),
    },
    firing: parts.firing.slice(0, NOTICE_ALERTS_MAX),
    firingCount: parts.firing.length,
    resolved: parts.resolved.slice(0, NOTICE_ALERTS_MAX),
    resolvedCount: parts.resolved.length,
    groupResolved: parts.groupResolved,
    link: noticeLink(publicUrl, [...parts.firing, ...parts.resolved]),
  };
}

/** The end of the latest active silence matching the member's alert; null when none does. */
function silencedUntilOf(member: MemberRow, silences: readonly MutingSilence[]): Date | null {
  const facts: SilenceFacts = {
    workerId: member.alert.workerId,
    workerName: member.worker?.name ?? member.workerName,
    awsRegion: member.worker?.awsRegion ?? member.awsRegion,
    kind: member.alert.kind,
    severity: member.alert.severity,
  };
  let until: Date | null = null;
  for (const silence of silences) {
    if (silence.matches(facts) && (until === null || silence.endsAt > until)) {
      until = silence.endsAt;
    }
  }
  return until;
}

/** Stored already resolved (a termination): told once, as it happened. */
function isEvent({ alert }: MemberRow): boolean {
  return resolvedAsItFired({
    startedAt: new Date(alert.startedAt),
    resolvedAt: alert.resolvedAt === null ? null : new Date(alert.resolvedAt),
  });
}

function workerOf(worker: NoticeWorker): NoticeWorker {
  return {
    id: worker.id,
    name: worker.name,
    awsInstanceId: worker.awsInstanceId,
    awsRegion: worker.awsRegion,
  };
}

/** PostgreSQL's JSON writes times its own way; notices carry ISO 8601 in UTC. */
function iso(time: string): string {
  return new Date(time).toISOString();
}
