import {
  defaultFieldResolver,
  getNamedType,
  GraphQLError,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import type { AuthContext } from '../auth/auth-checker';
import { Alert } from '../entities/alert.entity';
import { AuditOutcome } from '../entities/audit-outcome.enum';
import { Worker } from '../entities/worker.entity';
import { getOrAdd } from '../lib/maps';
import { isUuid } from '../lib/uuid';
import { createLogger } from '../logger';
import type { AuditEntry } from '../services/audit/audit-scope';
import type { AuditService } from '../services/audit/audit.service';
import { summarizeArguments } from '../services/audit/audit-summary';
import { createErrorFormatter } from './format-error';
import { ImportWorkersResult } from './types/import-workers-result.type';

type Args = Record<string, unknown>;
type Subject = Pick<AuditEntry, 'workerId' | 'alertId'>;
/** What the arguments tell, before the outcome is known. */
type Known = Subject & { summary: string };
/** What a mutation's `id` argument and its result name. */
type SubjectKind = 'worker' | 'alert' | 'none';

const NO_SUBJECT: Subject = { workerId: null, alertId: null };

/** The client's own formatter, so a record's code is the one in the answer's `extensions.code`. */
const formatError = createErrorFormatter(createLogger('silent'));

/**
 * Records every field of the Mutation type in the audit log, whatever resolver serves it, over
 * HTTP and WebSocket alike (both execute this schema). The resolvers are wrapped here rather than
 * by a type-graphql global middleware because type-graphql runs `@Authorized` before any
 * middleware: a caller refused for lack of a role would go unrecorded. A caller that presented
 * no credential is not recorded: there is nobody to name, and the table would be anyone's to fill.
 */
export function auditMutations(
  schema: GraphQLSchema,
  audit: Pick<AuditService, 'record'>,
): GraphQLSchema {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    field.resolve = audited(field, audit);
  }
  return schema;
}

function audited(
  field: GraphQLField<unknown, unknown>,
  audit: Pick<AuditService, 'record'>,
): GraphQLFieldResolver<unknown, unknown> {
  const resolve = field.resolve ?? defaultFieldResolver;
  const returned = getNamedType(field.type).name;
  const kind = subjectKindOf(field.name, returned);
  const succeeded =
    returned === ImportWorkersResult.name
      ? importEntries
      : (_args: Args, known: Known, result: unknown): AuditEntry[] => [
          {
            ...known,
            ...subjectOfResult(kind, result),
            outcome: AuditOutcome.SUCCEEDED,
            errorCode: null,
          },
        ];
  return (root, args: Args, context, info) => {
    const principal = (context as AuthContext | undefined)?.principal;
    if (!principal) {
      return resolve(root, args, context, info);
    }
    const known: Known = { ...subjectOf(kind, args.id), summary: summarizeArguments(args) };
    return audit.record(
      {
        actor: principal.name,
        operation: field.name,
        subject: known,
        succeeded: (result) => succeeded(args, known, result),
        failed: (error) => ({
          ...known,
          outcome: AuditOutcome.FAILED,
          errorCode: errorCodeOf(error),
        }),
      },
      () => Promise.resolve(resolve(root, args, context, info)),
    );
  };
}

/** By the type it returns, else by its name (`removeWorker` answers a Boolean). */
function subjectKindOf(operation: string, returned: string): SubjectKind {
  if (returned === Worker.name || operation.endsWith(Worker.name)) {
    return 'worker';
  }
  if (returned === Alert.name || operation.endsWith(Alert.name)) {
    return 'alert';
  }
  return 'none';
}

function subjectOf(kind: SubjectKind, id: unknown): Subject {
  // Anything else names nothing, and the column would refuse it.
  if (typeof id !== 'string' || !isUuid(id)) {
    return NO_SUBJECT;
  }
  switch (kind) {
    case 'worker':
      return { workerId: id, alertId: null };
    case 'alert':
      return { workerId: null, alertId: id };
    case 'none':
      return NO_SUBJECT;
  }
}

/** A worker returned is the one concerned; an alert returned, and its worker. */
function subjectOfResult(kind: SubjectKind, result: unknown): Partial<Subject> {
  if (typeof result !== 'object' || result === null) {
    return {};
  }
  const { id, workerId } = result as { id?: unknown; workerId?: unknown };
  if (typeof id !== 'string') {
    return {};
  }
  switch (kind) {
    case 'worker':
      return { workerId: id };
    case 'alert':
      return { alertId: id, workerId: typeof workerId === 'string' ? workerId : null };
    case 'none':
      return {};
  }
}

/**
 * A batch import is recorded one instance a record, as importWorker would be: "who registered
 * this worker" is then a filter on its id, and each failure keeps its own code. Each summary is
 * of the input that asked for the instance, found by instance id in the order given.
 */
function importEntries(args: Args, _known: Known, result: unknown): AuditEntry[] {
  const { imported, failed } = result as ImportWorkersResult;
  const inputs: unknown[] = Array.isArray(args.inputs) ? args.inputs : [];
  const positions = new Map<unknown, number[]>();
  inputs.forEach((input, index) =>
    getOrAdd(positions, (input as { awsInstanceId?: unknown }).awsInstanceId, () => []).push(index),
  );
  const summaryOf = (awsInstanceId: string) => {
    const index = positions.get(awsInstanceId)?.shift();
    return summarizeArguments(
      index === undefined ? { awsInstanceId } : { [`inputs[${index}]`]: inputs[index] },
    );
  };
  return [
    ...imported.map((worker) => ({
      workerId: worker.id,
      alertId: null,
      outcome: AuditOutcome.SUCCEEDED,
      errorCode: null,
      summary: summaryOf(worker.awsInstanceId),
    })),
    ...failed.map((failure) => ({
      ...NO_SUBJECT,
      outcome: AuditOutcome.FAILED,
      errorCode: failure.code,
      summary: summaryOf(failure.awsInstanceId),
    })),
  ];
}

function errorCodeOf(error: unknown): string {
  const formatted =
    error instanceof GraphQLError
      ? error.toJSON()
      : { message: error instanceof Error ? error.message : String(error) };
  const code = formatError(formatted, error).extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}
