import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import {
  EmbeddedPostgresHandle,
  startEmbeddedPostgres,
} from '../../src/database/embedded-postgres';
import { quoteIdentifier } from '../../src/database/sql';
import { freePort } from './free-port';

declare global {
  var testEmbeddedPostgres: { server: EmbeddedPostgresHandle; runDir: string } | undefined;
}

/**
 * Gives this test run a database of its own (on DATABASE_URL's server, or on an embedded
 * PostgreSQL when it is unset) and a Redis key prefix of its own, so runs never share state.
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}_${process.pid}`;
  const database = `cwm_test_${runId}`;
  process.env.TEST_RUN_ID = runId;
  process.env.TEST_DATABASE_NAME = database;
  if (process.env.REDIS_URL) {
    process.env.TEST_REDIS_PREFIX = `cwm-test:${runId}:`;
  }

  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
    await client.end();
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    process.env.TEST_DATABASE_URL = url.toString();
    return;
  }

  const runDir = await mkdtemp(path.join(tmpdir(), 'cwm-test-'));
  const server = await startEmbeddedPostgres({
    dataDir: path.join(runDir, 'postgres'),
    port: await freePort(),
    database,
    persistent: false,
  });
  globalThis.testEmbeddedPostgres = { server, runDir };
  process.env.TEST_DATABASE_URL = server.url;
}
