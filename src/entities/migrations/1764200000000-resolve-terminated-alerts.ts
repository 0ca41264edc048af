import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A termination became an event, stored resolved as it fires; alerts that fired before stay
 * FIRING forever (reminded of, counted as alerting) unless resolved the same way.
 */
export class ResolveTerminatedAlerts1764200000000 implements MigrationInterface {
  name = 'ResolveTerminatedAlerts1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "alert"
       SET "state" = 'RESOLVED', "resolvedAt" = "startedAt",
           "resolution" = 'an event: a terminated instance does not come back'
       WHERE "kind" = 'TERMINATED' AND "state" = 'FIRING'`,
    );
  }

  /** Which of them fired before cannot be told any more: the events stay resolved. */
  async down(): Promise<void> {
    return Promise.resolve();
  }
}
