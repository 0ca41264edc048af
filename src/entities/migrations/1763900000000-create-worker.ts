import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWorker1763900000000 implements MigrationInterface {
  name = 'CreateWorker1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "worker_status" AS ENUM('PENDING', 'RUNNING', 'STOPPING', 'STOPPED', 'SHUTTING_DOWN', 'TERMINATED', 'UNKNOWN')`,
    );
    await queryRunner.query(
      `CREATE TYPE "check_status" AS ENUM('OK', 'IMPAIRED', 'INITIALIZING', 'INSUFFICIENT_DATA', 'NOT_APPLICABLE')`,
    );
    await queryRunner.query(`
      CREATE TABLE "worker" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" character varying(128) NOT NULL,
        "awsRegion" character varying(32) NOT NULL,
        "awsInstanceId" character varying(32) NOT NULL,
        "instanceType" character varying(64),
        "status" "worker_status" NOT NULL DEFAULT 'UNKNOWN',
        "systemCheck" "check_status",
        "instanceCheck" "check_status",
        "cpuUtilization" double precision,
        "memoryUtilization" double precision,
        "cpuThreshold" double precision NOT NULL,
        "memoryThreshold" double precision NOT NULL,
        "monitoringEnabled" boolean NOT NULL,
        "lastPolledAt" TIMESTAMP(3) WITH TIME ZONE,
        "lastActivityAt" TIMESTAMP(3) WITH TIME ZONE,
        "lastTransitionAt" TIMESTAMP(3) WITH TIME ZONE,
        "createdAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updatedAt" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "worker_pk" PRIMARY KEY ("id"),
        CONSTRAINT "worker_cpu_threshold_range" CHECK ("cpuThreshold" > 0 AND "cpuThreshold" <= 100),
        CONSTRAINT "worker_memory_threshold_range" CHECK ("memoryThreshold" > 0 AND "memoryThreshold" <= 100)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "worker_region_instance_unique" ON "worker" ("awsRegion", "awsInstanceId")`,
    );
    await queryRunner.query(`CREATE INDEX "worker_created_at_id" ON "worker" ("createdAt", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "worker"`);
    await queryRunner.query(`DROP TYPE "check_status"`);
    await queryRunner.query(`DROP TYPE "worker_status"`);
  }
}
