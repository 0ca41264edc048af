import { MongoBackend } from '@agendajs/mongo-backend';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { createJobBackend } from '../../src/jobs/scheduler';
import { testLogger } from '../support/silent-logger';

describe(createJobBackend.name, () => {
  const postgres = { url: 'postgres://u@127.0.0.1:1/db', schema: 'public', logger: testLogger() };

  it('should keep jobs in MongoDB when JOBS_MONGO_URL is configured', async () => {
    const backend = createJobBackend(
      { kind: 'mongo', url: 'mongodb://127.0.0.1:1/jobs' },
      postgres,
    );

    expect(backend.kind).toBe('mongo');
    expect(backend.agendaBackend).toBeInstanceOf(MongoBackend);
    expect(backend.isDuplicateKey({ code: 11000 })).toBe(true);
    expect(backend.isDuplicateKey({ code: '23505' })).toBe(false);
    await backend.close();
  });

  it("should keep jobs in the service's own PostgreSQL otherwise", async () => {
    const backend = createJobBackend({ kind: 'postgres' }, postgres);

    expect(backend.kind).toBe('postgres');
    expect(backend.agendaBackend).toBeInstanceOf(PostgresBackend);
    expect(backend.isDuplicateKey({ code: '23505' })).toBe(true);
    expect(backend.isDuplicateKey(new Error('boom'))).toBe(false);
    await backend.close();
  });
});
