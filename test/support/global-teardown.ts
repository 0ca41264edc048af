import { rm } from 'node:fs/promises';
import { Client } from 'pg';
import { quoteIdentifier } from '../../src/database/sql';

export default async function globalTeardown(): Promise<void> {
  const embedded = globalThis.testEmbeddedPostgres;
  if (embedded) {
    await embedded.server.stop();
    await rm(embedded.runDir, { recursive: true, force: true });
    return;
  }
  const serverUrl = process.env.DATABASE_URL;
  const database = process.env.TEST_DATABASE_NAME;
  if (serverUrl && database) {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`);
    await client.end();
  }
}
