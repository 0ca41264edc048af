import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every status change of a worker, with what made it (a poll, a mutation and its caller, the
 * service's own policy). Read newest first per worker, pruned with the samples.
 */
export class StatusHistory1764500000000 implements MigrationInterface {
  name = 'StatusHistory1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TYPE "change_source" AS ENUM('POLL', 'MUTATION', 'POLICY')`,
      `CREATE TABLE "worker_status_transition" (
         "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
         "workerId" uuid NOT NULL,
         "previousStatus" "worker_status" NOT NULL,
         "status" "worker_status" NOT NULL,
         "changedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
         "source" "change_source" NOT NULL,
         "actor" text,
         CONSTRAINT "worker_status_transition_pk" PRIMARY KEY ("id"),
         CONSTRAINT "worker_status_transition_worker_fk" FOREIGN KEY ("workerId")
           REFERENCES "worker"("id") ON DELETE CASCADE ON UPDATE NO ACTION
       )`,
      `CREATE INDEX "worker_status_transition_worker_changed_at"
         ON "worker_status_transition" ("workerId", "changedAt" DESC)`,
    ];
    for (const statement of statements) {
      await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "worker_status_transition"`);
    await queryRunner.query(`DROP TYPE "change_source"`);
  }
}
