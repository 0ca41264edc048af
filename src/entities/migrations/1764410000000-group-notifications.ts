import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications go out per group of alerts. A delivery row now carries what it sends (its
 * notice) and every alert it tells of; the rows of before are kept, each telling of its one
 * alert, and those still pending get the notice their event would have been in a group of one.
 */
export class GroupNotifications1764410000000 implements MigrationInterface {
  name = 'GroupNotifications1764410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const kind of ['OPSGENIE', 'EMAIL']) {
      await queryRunner.query(`ALTER TYPE "receiver_kind" ADD VALUE IF NOT EXISTS '${kind}'`);
    }
    await queryRunner.query(`ALTER TYPE "alert_event_type" ADD VALUE IF NOT EXISTS 'ACKNOWLEDGED'`);
    const statements = [
      `CREATE TABLE "notification_group" (
         "id" uuid NOT NULL DEFAULT gen_random_uuid(),
         "receiverKey" varchar(64) NOT NULL,
         "groupKey" text NOT NULL,
         "labels" jsonb NOT NULL,
         "createdAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
         "flushAt" TIMESTAMP(3) WITH TIME ZONE,
         "remindAt" TIMESTAMP(3) WITH TIME ZONE,
         "lastFlushAt" TIMESTAMP(3) WITH TIME ZONE,
         "sequence" integer NOT NULL DEFAULT 0,
         "acknowledgementSent" boolean NOT NULL DEFAULT false,
         CONSTRAINT "notification_group_pk" PRIMARY KEY ("id")
       )`,
      `CREATE UNIQUE INDEX "notification_group_receiver_key"
         ON "notification_group" ("receiverKey", "groupKey")`,
      `CREATE INDEX "notification_group_flush_at" ON "notification_group" ("flushAt")
         WHERE "flushAt" IS NOT NULL`,
      `CREATE INDEX "notification_group_remind_at" ON "notification_group" ("remindAt")
         WHERE "remindAt" IS NOT NULL`,
      `CREATE TABLE "notification_group_alert" (
         "groupId" uuid NOT NULL,
         "alertId" uuid NOT NULL,
         "workerName" varchar(128),
         "awsRegion" varchar(32),
         "notified" boolean NOT NULL DEFAULT false,
         "mutedUntil" TIMESTAMP(3) WITH TIME ZONE,
         "addedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
         CONSTRAINT "notification_group_alert_pk" PRIMARY KEY ("groupId", "alertId"),
         CONSTRAINT "notification_group_alert_group_fk" FOREIGN KEY ("groupId")
           REFERENCES "notification_group"("id") ON DELETE CASCADE ON UPDATE NO ACTION
       )`,
      `CREATE INDEX "notification_group_alert_alert" ON "notification_group_alert" ("alertId")`,
      `CREATE INDEX "notification_group_alert_muted_until"
         ON "notification_group_alert" ("mutedUntil") WHERE "mutedUntil" IS NOT NULL`,
      `ALTER TABLE "alert_notification"
         ADD "eventId" varchar(200),
         ADD "alertIds" uuid[],
         ADD "groupId" uuid,
         ADD "groupKey" text,
         ADD "notice" jsonb`,
      `UPDATE "alert_notification" SET
         "alertIds" = ARRAY["alertId"],
         "eventId" = "alertId" || ':' || lower("event"::text)
           || CASE WHEN "event" = 'REMINDER' THEN ':' || "sequence" ELSE '' END`,
      PENDING_NOTICES,
      `DROP INDEX "alert_notification_once"`,
      `ALTER TABLE "alert_notification"
         DROP CONSTRAINT "alert_notification_alert_fk",
         DROP COLUMN "alertId",
         DROP COLUMN "sequence",
         ALTER "eventId" SET NOT NULL,
         ALTER "alertIds" SET NOT NULL`,
      `CREATE UNIQUE INDEX "alert_notification_once"
         ON "alert_notification" ("eventId", "receiverKey")`,
      `CREATE INDEX "alert_notification_alert_ids" ON "alert_notification" USING gin ("alertIds")`,
    ];
    for (const statement of statements) {
      await queryRunner.query(statement);
    }
  }

  /** PostgreSQL cannot drop an enum value: the new receiver kinds and event type stay, unused. */
  async down(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `DELETE FROM "alert_notification"
         WHERE cardinality("alertIds") <> 1
           OR "event"::text = 'ACKNOWLEDGED'
           OR "receiverKind"::text IN ('OPSGENIE', 'EMAIL')`,
      `DROP INDEX "alert_notification_alert_ids"`,
      `DROP INDEX "alert_notification_once"`,
      `ALTER TABLE "alert_notification"
         ADD "alertId" uuid,
         ADD "sequence" integer NOT NULL DEFAULT 0`,
      `UPDATE "alert_notification" SET
         "alertId" = "alertIds"[1],
         "sequence" = CASE WHEN "event" = 'REMINDER'
           THEN COALESCE(NULLIF(split_part("eventId", ':', 3), '')::integer, 0) ELSE 0 END`,
      `DELETE FROM "alert_notification" AS n
         WHERE NOT EXISTS (SELECT 1 FROM "alert" AS a WHERE a.id = n."alertId")`,
      `ALTER TABLE "alert_notification"
         ALTER "alertId" SET NOT NULL,
         DROP COLUMN "notice",
         DROP COLUMN "groupKey",
         DROP COLUMN "groupId",
         DROP COLUMN "alertIds",
         DROP COLUMN "eventId",
         ADD CONSTRAINT "alert_notification_alert_fk" FOREIGN KEY ("alertId")
           REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
      `CREATE UNIQUE INDEX "alert_notification_once"
         ON "alert_notification" ("alertId", "event", "sequence", "receiverKey")`,
      `DROP TABLE "notification_group_alert"`,
      `DROP TABLE "notification_group"`,
    ];
    for (const statement of statements) {
      await queryRunner.query(statement);
    }
  }
}

/** The GroupNotice (see group-notice.ts) of a pending per-alert delivery, as a group of one. */
const PENDING_NOTICES = `
  UPDATE "alert_notification" AS n SET "groupKey" = notice.key, "notice" = notice.body
  FROM (
    SELECT n2.id,
      'kind=' || a.kind || ',severity=' || a.severity AS key,
      jsonb_build_object(
        'eventId', n2."eventId",
        'type', n2.event,
        'occurredAt', to_jsonb(CASE n2.event
          WHEN 'FIRING' THEN a."startedAt"
          WHEN 'RESOLVED' THEN COALESCE(a."resolvedAt", n2."createdAt")
          ELSE n2."createdAt" END),
        'group', jsonb_build_object(
          'id', a.id,
          'key', 'kind=' || a.kind || ',severity=' || a.severity,
          'labels', jsonb_build_object('kind', a.kind, 'severity', a.severity),
          'dedupKey', 'cml-worker-monitor:' || a.id),
        'firing', CASE WHEN n2.event = 'RESOLVED' THEN '[]'::jsonb ELSE jsonb_build_array(facts.alert) END,
        'firingCount', CASE WHEN n2.event = 'RESOLVED' THEN 0 ELSE 1 END,
        'resolved', CASE WHEN n2.event = 'RESOLVED' THEN jsonb_build_array(facts.alert) ELSE '[]'::jsonb END,
        'resolvedCount', CASE WHEN n2.event = 'RESOLVED' THEN 1 ELSE 0 END,
        'groupResolved', n2.event = 'RESOLVED',
        'link', NULL) AS body
    FROM "alert_notification" AS n2
    JOIN "alert" AS a ON a.id = n2."alertId"
    LEFT JOIN "worker" AS w ON w.id = a."workerId"
    CROSS JOIN LATERAL (SELECT jsonb_build_object(
      'id', a.id, 'workerId', a."workerId", 'kind', a.kind, 'state', a.state,
      'severity', a.severity, 'value', a.value, 'threshold', a.threshold,
      'resolvedValue', a."resolvedValue", 'message', a.message, 'resolution', a.resolution,
      'startedAt', a."startedAt", 'resolvedAt', a."resolvedAt",
      'acknowledgedAt', a."acknowledgedAt",
      'worker', CASE WHEN w.id IS NULL THEN NULL ELSE jsonb_build_object(
        'id', w.id, 'name', w.name, 'awsInstanceId', w."awsInstanceId",
        'awsRegion', w."awsRegion") END,
      'isNew', true, 'link', NULL) AS alert) AS facts
    WHERE n2.state = 'PENDING'
  ) AS notice
  WHERE n.id = notice.id`;
