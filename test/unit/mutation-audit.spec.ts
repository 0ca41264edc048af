import { buildSchema, graphql, GraphQLError, type GraphQLSchema } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { ANONYMOUS_PRINCIPAL, type Principal, Role } from '../../src/auth/principal';
import { forbidden } from '../../src/auth/auth-error';
import { AuditOutcome } from '../../src/entities/audit-outcome.enum';
import { notFound } from '../../src/errors/domain-error';
import { createLogger } from '../../src/logger';
import { createErrorFormatter } from '../../src/schema/format-error';
import { auditMutations } from '../../src/schema/mutation-audit';
import type { AuditEntry } from '../../src/services/audit/audit-scope';
import type { AuditedCall } from '../../src/services/audit/audit.service';

const WORKER_ID = '6f1c2d4e-0000-4000-8000-000000000001';
const ALERT_ID = '6f1c2d4e-0000-4000-8000-0000000000a1';

const SDL = `
  type Worker { id: ID!, awsInstanceId: String! }
  type Alert { id: ID!, workerId: ID! }
  type Silence { id: ID! }
  type ImportFailure { awsInstanceId: String!, code: String!, message: String! }
  type ImportWorkersResult { imported: [Worker!]!, failed: [ImportFailure!]! }
  input CmlCredentialsInput { username: String!, password: String! }
  input ImportWorkerInput { awsInstanceId: String!, cmlCredentials: CmlCredentialsInput }
  type Query { ok: Boolean }
  type Mutation {
    stopWorker(id: ID!): Worker!
    removeWorker(id: ID!): Boolean!
    acknowledgeAlert(id: ID!): Alert!
    expireSilence(id: ID!): Silence!
    importWorkers(inputs: [ImportWorkerInput!]!): ImportWorkersResult!
  }
`;

interface Recorded {
  actor: string;
  operation: string;
  entries: AuditEntry[];
}

const operator: Principal = {
  name: 'ci-operator',
  roles: [Role.OPERATOR, Role.VIEWER],
  source: 'api-key',
  expiresAt: null,
};

describe(auditMutations.name, () => {
  const formatError = createErrorFormatter(createLogger('silent'));
  let recorded: Recorded[];
  let failWith: Error | undefined;
  let schema: GraphQLSchema;

  /** Records as AuditService does, without a database. */
  const audit = {
    async record<T>(call: AuditedCall<T>, work: () => Promise<T>): Promise<T> {
      const { actor, operation } = call;
      try {
        const result = await work();
        recorded.push({ actor, operation, entries: call.succeeded(result) });
        return result;
      } catch (error) {
        recorded.push({ actor, operation, entries: [call.failed(error)] });
        throw error;
      }
    },
  };

  const run = async (
    source: string,
    principal: Principal | null = operator,
    variableValues?: Record<string, unknown>,
  ) => {
    const result = await graphql({ schema, source, contextValue: { principal }, variableValues });
    const answered = result.errors?.map((error) => formatError(error.toJSON(), error));
    return { data: result.data, codes: answered?.map((error) => error.extensions?.code) };
  };

  beforeEach(() => {
    recorded = [];
    failWith = undefined;
    schema = buildSchema(SDL);
    const fields = schema.getMutationType()?.getFields() ?? {};
    const answer =
      <T>(value: (args: Record<string, unknown>) => T) =>
      (_root: unknown, args: Record<string, unknown>) => {
        if (failWith !== undefined) {
          throw failWith;
        }
        return value(args);
      };
    fields.stopWorker.resolve = answer(({ id }) => ({ id, awsInstanceId: 'i-0123456789abcdef0' }));
    fields.removeWorker.resolve = answer(() => true);
    fields.acknowledgeAlert.resolve = answer(({ id }) => ({ id, workerId: WORKER_ID }));
    fields.expireSilence.resolve = answer(({ id }) => ({ id }));
    fields.importWorkers.resolve = answer(() => ({
      imported: [{ id: WORKER_ID, awsInstanceId: 'i-00000000000000001' }],
      failed: [
        { awsInstanceId: 'i-00000000000000002', code: 'NOT_FOUND', message: 'unknown' },
        { awsInstanceId: 'i-00000000000000001', code: 'CONFLICT', message: 'given twice' },
      ],
    }));
    auditMutations(schema, audit);
  });

  it('should record the caller by name, and as anonymous when authentication is off', async () => {
    await run(`mutation { stopWorker(id: "${WORKER_ID}") { id } }`);
    await run(`mutation { stopWorker(id: "${WORKER_ID}") { id } }`, { ...ANONYMOUS_PRINCIPAL });

    expect(recorded.map(({ actor, operation }) => ({ actor, operation }))).toEqual([
      { actor: 'ci-operator', operation: 'stopWorker' },
      { actor: 'anonymous', operation: 'stopWorker' },
    ]);
  });

  it('should answer a caller without credentials as before, and record nothing', async () => {
    const { data } = await run(`mutation { stopWorker(id: "${WORKER_ID}") { id } }`, null);

    expect(data).toEqual({ stopWorker: { id: WORKER_ID } });
    expect(recorded).toEqual([]);
  });

  it('should record each root field of an operation, under its field name, aliases or not', async () => {
    const { data } = await run(
      `mutation { a: removeWorker(id: "${WORKER_ID}") b: expireSilence(id: "s-1") { id } }`,
    );

    expect(data).toEqual({ a: true, b: { id: 's-1' } });
    expect(recorded.map((r) => [r.operation, r.entries[0]])).toEqual([
      [
        'removeWorker',
        {
          workerId: WORKER_ID,
          alertId: null,
          outcome: AuditOutcome.SUCCEEDED,
          errorCode: null,
          summary: `id: "${WORKER_ID}"`,
        },
      ],
      [
        'expireSilence',
        {
          workerId: null,
          alertId: null,
          outcome: AuditOutcome.SUCCEEDED,
          errorCode: null,
          summary: 'id: "s-1"',
        },
      ],
    ]);
  });

  it('should name the alert and its worker of an acknowledged alert', async () => {
    await run(`mutation { acknowledgeAlert(id: "${ALERT_ID}") { id } }`);

    expect(recorded[0].entries).toEqual([
      expect.objectContaining({ alertId: ALERT_ID, workerId: WORKER_ID }),
    ]);
  });

  it('should keep the worker an id argument names when the mutation fails, and no id that is none', async () => {
    failWith = notFound('no worker');

    await run(`mutation { stopWorker(id: "${WORKER_ID}") { id } }`);
    await run('mutation { stopWorker(id: "nope") { id } }');

    expect(recorded.map((r) => r.entries[0].workerId)).toEqual([WORKER_ID, null]);
  });

  it.each([
    ['a domain error', notFound('no worker with that id'), 'NOT_FOUND'],
    ['a refusal for lack of a role', forbidden('operators only'), 'FORBIDDEN'],
    ['invalid arguments', new ArgumentValidationError([]), 'BAD_USER_INPUT'],
    [
      'an error carrying a client code',
      new GraphQLError('slow down', { extensions: { code: 'RATE_LIMITED' } }),
      'RATE_LIMITED',
    ],
    ['an unexpected error', new Error('connection reset'), 'INTERNAL_SERVER_ERROR'],
  ])('should record %s as FAILED with the code the caller is answered', async (_, error, code) => {
    failWith = error;

    const { codes } = await run(`mutation { stopWorker(id: "${WORKER_ID}") { id } }`);

    expect(codes).toEqual([code]);
    expect(recorded[0].entries).toEqual([
      expect.objectContaining({ outcome: AuditOutcome.FAILED, errorCode: code }),
    ]);
  });

  it('should record a batch import one instance a record, each with the input that asked for it', async () => {
    const inputs = [
      { awsInstanceId: 'i-00000000000000001', cmlCredentials: { username: 'a', password: 'pw!' } },
      { awsInstanceId: 'i-00000000000000002' },
      { awsInstanceId: 'i-00000000000000001' },
    ];

    await run(
      'mutation ($inputs: [ImportWorkerInput!]!) { importWorkers(inputs: $inputs) { failed { code } } }',
      operator,
      { inputs },
    );

    expect(recorded[0].entries).toEqual([
      {
        workerId: WORKER_ID,
        alertId: null,
        outcome: AuditOutcome.SUCCEEDED,
        errorCode: null,
        summary: 'inputs[0]: {awsInstanceId: "i-00000000000000001", cmlCredentials: [secret]}',
      },
      {
        workerId: null,
        alertId: null,
        outcome: AuditOutcome.FAILED,
        errorCode: 'NOT_FOUND',
        summary: 'inputs[1]: {awsInstanceId: "i-00000000000000002"}',
      },
      {
        workerId: null,
        alertId: null,
        outcome: AuditOutcome.FAILED,
        errorCode: 'CONFLICT',
        summary: 'inputs[2]: {awsInstanceId: "i-00000000000000001"}',
      },
    ]);
  });
});
