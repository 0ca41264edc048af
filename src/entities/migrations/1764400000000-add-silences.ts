import { MigrationInterface, QueryRunner } from 'typeorm';

/** Silences: what they match, and the window they hold notifications back in. */
export class AddSilences1764400000000 implements MigrationInterface {
  name = 'AddSilences1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "silence" (
         "id" uuid NOT NULL DEFAULT gen_random_uuid(),
         "workerIds" uuid array,
         "nameContains" text,
         "awsRegion" character varying(32),
         "kinds" "alert_kind" array,
         "severities" "alert_severity" array,
         "startsAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
         "endsAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
         "comment" text NOT NULL,
         "createdBy" text NOT NULL,
         "createdAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
         CONSTRAINT "silence_pk" PRIMARY KEY ("id"),
         CONSTRAINT "silence_ends_after_start" CHECK ("endsAt" >= "startsAt"),
         CONSTRAINT "silence_has_matcher" CHECK (
           num_nonnulls("workerIds", "nameContains", "awsRegion", "kinds", "severities") > 0)
       )`,
    );
    // Most silences have ended: the ones active at a time are the few ending after it.
    await queryRunner.query(
      `CREATE INDEX "silence_active_window" ON "silence" ("endsAt", "startsAt")`,
    );
    await queryRunner.query(
      `CREATE INDEX "silence_created_at_id" ON "silence" ("createdAt", "id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "silence"`);
  }
}
