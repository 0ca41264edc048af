import { MigrationInterface, QueryRunner } from 'typeorm';

/** What each worker's CML controller said at the last poll, and where and how to reach it. */
export class AddCml1764300000000 implements MigrationInterface {
  name = 'AddCml1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "cml_status" AS ENUM ('AVAILABLE', 'UNAVAILABLE', 'ERROR', 'NOT_APPLICABLE', 'UNKNOWN')`,
    );
    await queryRunner.query(
      `ALTER TABLE "worker"
         ADD "privateIpAddress" character varying(64),
         ADD "publicIpAddress" character varying(64),
         ADD "publicDnsName" character varying(255),
         ADD "cmlEndpointOverride" character varying(2048),
         ADD "cmlUsername" character varying(256),
         ADD "cmlPasswordEncrypted" text,
         ADD "cmlStatus" "cml_status" NOT NULL DEFAULT 'UNKNOWN',
         ADD "cmlVersion" character varying(64),
         ADD "cmlReady" boolean,
         ADD "cmlLicense" jsonb,
         ADD "cmlLabs" jsonb NOT NULL DEFAULT '[]'::jsonb,
         ADD "labsTotal" integer,
         ADD "labsRunning" integer,
         ADD "nodesTotal" integer,
         ADD "nodesRunning" integer,
         ADD "cmlCheckedAt" TIMESTAMP(3) WITH TIME ZONE,
         ADD "cmlError" text,
         ADD "cmlDetailsAt" TIMESTAMP(3) WITH TIME ZONE,
         ADD "cmlFailureStreak" integer NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(
      `ALTER TABLE "metric_sample"
         ADD "cmlStatus" "cml_status",
         ADD "labsRunning" integer,
         ADD "nodesRunning" integer`,
    );
    for (const kind of ['CML_UNAVAILABLE', 'LICENSE_INVALID', 'LICENSE_EXPIRING']) {
      await queryRunner.query(`ALTER TYPE "alert_kind" ADD VALUE IF NOT EXISTS '${kind}'`);
    }
  }

  /** PostgreSQL cannot drop an enum value: the alert kinds stay, unused. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "metric_sample" DROP COLUMN "nodesRunning", DROP COLUMN "labsRunning", DROP COLUMN "cmlStatus"`,
    );
    await queryRunner.query(
      `ALTER TABLE "worker"
         DROP COLUMN "cmlFailureStreak", DROP COLUMN "cmlDetailsAt", DROP COLUMN "cmlError",
         DROP COLUMN "cmlCheckedAt", DROP COLUMN "nodesRunning", DROP COLUMN "nodesTotal",
         DROP COLUMN "labsRunning", DROP COLUMN "labsTotal", DROP COLUMN "cmlLabs",
         DROP COLUMN "cmlLicense", DROP COLUMN "cmlReady", DROP COLUMN "cmlVersion",
         DROP COLUMN "cmlStatus", DROP COLUMN "cmlPasswordEncrypted", DROP COLUMN "cmlUsername",
         DROP COLUMN "cmlEndpointOverride", DROP COLUMN "publicDnsName",
         DROP COLUMN "publicIpAddress", DROP COLUMN "privateIpAddress"`,
    );
    await queryRunner.query(`DROP TYPE "cml_status"`);
  }
}
