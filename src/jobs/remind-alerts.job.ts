import type { NotificationService } from '../services/notifications/notification.service';

/**
 * Re-notifies alerts still firing after WORKER_ALERT_REPEAT_INTERVAL, and queues again any
 * notification whose delivery job was lost (a process that died between storing the alert and
 * queueing its job). One such job exists fleet-wide.
 */
export const REMIND_ALERTS_JOB = 'remind-alerts';

/** Often enough for the repeat interval, and at least once a minute for the stalled deliveries. */
export function remindAlertsEveryMs(repeatIntervalMs: number | undefined): number {
  return Math.min(repeatIntervalMs ?? 60_000, 60_000);
}

export type RemindAlertsPayload = Record<string, never>;

export function remindAlertsHandler(notifications: NotificationService): () => Promise<void> {
  return async () => {
    await notifications.remind();
    await notifications.requeueStalled();
  };
}
