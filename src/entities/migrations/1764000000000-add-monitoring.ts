import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddMonitoring1764000000000 implements MigrationInterface {
  name = 'AddMonitoring1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "worker"
        ADD "nextPollAt" TIMESTAMP(3) WITH TIME ZONE,
        ADD "lastPollError" text,
        ADD "lastPollErrorAt" TIMESTAMP(3) WITH TIME ZONE,
        ADD "consecutivePollFailures" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`
      CREATE TABLE "metric_sample" (
        "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        "workerId" uuid NOT NULL,
        "status" "worker_status" NOT NULL,
        "systemCheck" "check_status",
        "instanceCheck" "check_status",
        "cpuUtilization" double precision,
        "memoryUtilization" double precision,
        "cpuDatapointAt" TIMESTAMP(3) WITH TIME ZONE,
        "memoryDatapointAt" TIMESTAMP(3) WITH TIME ZONE,
        "collectedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        CONSTRAINT "metric_sample_pk" PRIMARY KEY ("id"),
        CONSTRAINT "metric_sample_worker_fk" FOREIGN KEY ("workerId")
          REFERENCES "worker"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(
      `CREATE INDEX "metric_sample_worker_collected_at" ON "metric_sample" ("workerId", "collectedAt")`,
    );
    await queryRunner.query(
      `CREATE INDEX "metric_sample_collected_at" ON "metric_sample" ("collectedAt")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "metric_sample"`);
    await queryRunner.query(`
      ALTER TABLE "worker"
        DROP COLUMN "consecutivePollFailures",
        DROP COLUMN "lastPollErrorAt",
        DROP COLUMN "lastPollError",
        DROP COLUMN "nextPollAt"`);
  }
}
