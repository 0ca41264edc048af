import type { NotificationService } from '../services/notifications/notification.service';
import type { JobHandler } from './scheduler';

export function deliverNotificationHandler(
  notifications: NotificationService,
): JobHandler<'deliver-notification'> {
  return async ({ notificationId }) => {
    await notifications.deliver(notificationId);
  };
}
