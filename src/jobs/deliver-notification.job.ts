import type { NotificationService } from '../services/notifications/notification.service';
import type { JobHandler } from './scheduler';

/** Sends one alert event to one receiver; retried with backoff while the receiver fails. */
export const DELIVER_NOTIFICATION_JOB = 'deliver-notification';

export interface DeliverNotificationPayload {
  notificationId: string;
}

export function deliverNotificationHandler(
  notifications: NotificationService,
): JobHandler<DeliverNotificationPayload> {
  return async ({ notificationId }) => {
    await notifications.deliver(notificationId);
  };
}
