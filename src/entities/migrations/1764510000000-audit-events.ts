import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: every mutation, who called it, what it concerned and how it ended. Read newest
 * first, alone or by caller or worker; pruned past AUDIT_RETENTION_DAYS.
 */
export class AuditEvents1764510000000 implements MigrationInterface {
  name = 'AuditEvents1764510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TYPE "audit_outcome" AS ENUM('SUCCEEDED', 'FAILED')`,
      `CREATE TABLE "audit_event" (
         "id" uuid NOT NULL,
         "at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
         "actor" text NOT NULL,
         "operation" text NOT NULL,
         "workerId" uuid,
         "alertId" uuid,
         "outcome" "audit_outcome" NOT NULL,
         "errorCode" text,
         "summary" text NOT NULL,
         CONSTRAINT "audit_event_pk" PRIMARY KEY ("id"),
         CONSTRAINT "audit_event_error_code_when_failed"
           CHECK (("outcome" = 'FAILED') = ("errorCode" IS NOT NULL))
       )`,
      // Each serves the newest-first order (read backwards) under one of the filters, and the
      // first one the pruning of the oldest.
      `CREATE INDEX "audit_event_at_id" ON "audit_event" ("at", "id")`,
      `CREATE INDEX "audit_event_actor_at" ON "audit_event" ("actor", "at", "id")`,
      `CREATE INDEX "audit_event_worker_at" ON "audit_event" ("workerId", "at", "id")`,
    ];
    for (const statement of statements) {
      await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_event"`);
    await queryRunner.query(`DROP TYPE "audit_outcome"`);
  }
}
