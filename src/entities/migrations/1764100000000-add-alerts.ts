import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAlerts1764100000000 implements MigrationInterface {
  name = 'AddAlerts1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TYPE "alert_kind" AS ENUM
         ('CPU_HIGH', 'MEMORY_HIGH', 'STOPPED_UNEXPECTEDLY', 'TERMINATED', 'STATUS_CHECK_FAILED', 'IDLE')`,
      `CREATE TYPE "alert_state" AS ENUM ('FIRING', 'RESOLVED')`,
      `CREATE TYPE "alert_severity" AS ENUM ('INFO', 'WARNING', 'CRITICAL')`,
      `CREATE TYPE "alert_event_type" AS ENUM ('FIRING', 'RESOLVED', 'REMINDER')`,
      `CREATE TYPE "receiver_kind" AS ENUM ('CLOUDEVENTS', 'SLACK', 'PAGERDUTY')`,
      `CREATE TYPE "delivery_state" AS ENUM ('PENDING', 'DELIVERED', 'FAILED')`,
      `CREATE TYPE "worker_action" AS ENUM ('START', 'STOP', 'TERMINATE')`,
      `CREATE TYPE "remediation_outcome" AS ENUM ('REQUESTED', 'FAILED', 'SKIPPED')`,
      `ALTER TABLE "worker"
         ADD "requestedAction" "worker_action",
         ADD "requestedAt" TIMESTAMP(3) WITH TIME ZONE,
         ADD "cpuHighStreak" integer NOT NULL DEFAULT 0,
         ADD "memoryHighStreak" integer NOT NULL DEFAULT 0`,
      `CREATE TABLE "alert" (
         "id" uuid NOT NULL DEFAULT gen_random_uuid(),
         "workerId" uuid NOT NULL,
         "kind" "alert_kind" NOT NULL,
         "state" "alert_state" NOT NULL,
         "severity" "alert_severity" NOT NULL,
         "value" double precision,
         "threshold" double precision,
         "resolvedValue" double precision,
         "message" text NOT NULL,
         "resolution" text,
         "startedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
         "resolvedAt" TIMESTAMP(3) WITH TIME ZONE,
         "acknowledgedAt" TIMESTAMP(3) WITH TIME ZONE,
         "lastNotifiedAt" TIMESTAMP(3) WITH TIME ZONE,
         "reminders" integer NOT NULL DEFAULT 0,
         CONSTRAINT "alert_pk" PRIMARY KEY ("id")
       )`,
      `CREATE INDEX "alert_started_at_id" ON "alert" ("startedAt", "id")`,
      `CREATE INDEX "alert_worker_started_at" ON "alert" ("workerId", "startedAt")`,
      `CREATE UNIQUE INDEX "alert_one_open_per_worker_kind" ON "alert" ("workerId", "kind")
         WHERE "state" = 'FIRING'`,
      `CREATE TABLE "alert_notification" (
         "id" uuid NOT NULL DEFAULT gen_random_uuid(),
         "alertId" uuid NOT NULL,
         "event" "alert_event_type" NOT NULL,
         "sequence" integer NOT NULL DEFAULT 0,
         "receiverKey" varchar(64) NOT NULL,
         "receiverKind" "receiver_kind" NOT NULL,
         "receiver" varchar(300) NOT NULL,
         "state" "delivery_state" NOT NULL DEFAULT 'PENDING',
         "attempts" integer NOT NULL DEFAULT 0,
         "lastError" text,
         "lastAttemptAt" TIMESTAMP(3) WITH TIME ZONE,
         "deliveredAt" TIMESTAMP(3) WITH TIME ZONE,
         "createdAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
         CONSTRAINT "alert_notification_pk" PRIMARY KEY ("id"),
         CONSTRAINT "alert_notification_alert_fk" FOREIGN KEY ("alertId")
           REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE NO ACTION
       )`,
      `CREATE UNIQUE INDEX "alert_notification_once"
         ON "alert_notification" ("alertId", "event", "sequence", "receiverKey")`,
      `CREATE INDEX "alert_notification_pending" ON "alert_notification" ("createdAt")
         WHERE "state" = 'PENDING'`,
      `CREATE TABLE "alert_remediation" (
         "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
         "alertId" uuid NOT NULL,
         "workerId" uuid NOT NULL,
         "action" "worker_action" NOT NULL,
         "outcome" "remediation_outcome" NOT NULL,
         "detail" text,
         "attemptedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
         CONSTRAINT "alert_remediation_pk" PRIMARY KEY ("id"),
         CONSTRAINT "alert_remediation_alert_fk" FOREIGN KEY ("alertId")
           REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE NO ACTION
       )`,
      `CREATE INDEX "alert_remediation_worker_attempted_at"
         ON "alert_remediation" ("workerId", "attemptedAt")`,
      `CREATE INDEX "alert_remediation_alert" ON "alert_remediation" ("alertId")`,
    ];
    for (const statement of statements) {
      await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "alert_remediation"`);
    await queryRunner.query(`DROP TABLE "alert_notification"`);
    await queryRunner.query(`DROP TABLE "alert"`);
    await queryRunner.query(`
      ALTER TABLE "worker"
        DROP COLUMN "memoryHighStreak",
        DROP COLUMN "cpuHighStreak",
        DROP COLUMN "requestedAt",
        DROP COLUMN "requestedAction"`);
    for (const type of [
      'remediation_outcome',
      'worker_action',
      'delivery_state',
      'receiver_kind',
      'alert_event_type',
      'alert_severity',
      'alert_state',
      'alert_kind',
    ]) {
      await queryRunner.query(`DROP TYPE "${type}"`);
    }
  }
}
