import { GraphQLError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { validate } from 'class-validator';
import { badInput, conflict, DomainError, ErrorCode } from '../../src/errors/domain-error';
import { createErrorFormatter } from '../../src/schema/format-error';
import { CreateWorkerInput } from '../../src/schema/inputs/create-worker.input';
import { ThresholdsInput } from '../../src/schema/inputs/thresholds.input';
import { createLogger } from '../../src/logger';

const resolverError = (original: Error) =>
  new GraphQLError(original.message, { path: ['createWorker'], originalError: original });

describe(createErrorFormatter.name, () => {
  const logger = createLogger('silent');
  const format = createErrorFormatter(logger);

  it('should pass a domain error on with its code and field', () => {
    const error = resolverError(badInput('awsRegion', 'awsRegion must be an AWS region'));

    expect(format(error.toJSON(), error)).toEqual({
      message: 'awsRegion must be an AWS region',
      path: ['createWorker'],
      extensions: { code: 'BAD_USER_INPUT', field: 'awsRegion' },
    });
  });

  it('should report every invalid field of an input with its dotted path', async () => {
    const input = Object.assign(new CreateWorkerInput(), {
      name: 'x'.repeat(129),
      thresholds: Object.assign(new ThresholdsInput(), { cpu: 0 }),
    });
    const error = resolverError(new ArgumentValidationError(await validate(input)));

    const formatted = format(error.toJSON(), error);

    expect(formatted.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'name',
      problems: [
        { field: 'name', message: 'name must be at most 128 characters' },
        { field: 'thresholds.cpu', message: 'thresholds.cpu must be a percentage in (0, 100]' },
      ],
    });
    expect(formatted.message).toContain('thresholds.cpu must be a percentage in (0, 100]');
  });

  it('should mask an unexpected error and log it with its detail', () => {
    const logged = jest.spyOn(logger, 'error');
    const secret = new Error('connection to 10.0.0.5 refused: password authentication failed');
    const error = resolverError(secret);

    const formatted = format(error.toJSON(), error);

    expect(formatted).toEqual({
      message: 'Internal server error',
      path: ['createWorker'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ err: secret }),
      expect.any(String),
    );
  });

  it('should leave the errors graphql-js gives for a malformed request as they are', () => {
    const error = new GraphQLError('Cannot query field "nope" on type "Query".', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });

    expect(format(error.toJSON(), error)).toEqual(error.toJSON());
  });

  it('should give BAD_REQUEST to a refusal Apollo sends as a 4xx without a code, logging nothing', () => {
    const logged = jest.spyOn(logger, 'error');
    logged.mockClear();
    const error = new GraphQLError('provided sha does not match query', {
      extensions: { http: { status: 400, headers: new Map() } },
    });

    expect(
      format({ message: error.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error),
    ).toEqual({
      message: 'provided sha does not match query',
      extensions: { code: 'BAD_REQUEST' },
    });
    expect(logged).not.toHaveBeenCalled();
  });

  it.each(Object.values(ErrorCode))('should keep the code %s', (code) => {
    const error = resolverError(new DomainError(code, 'no'));

    expect(format(error.toJSON(), error).extensions?.code).toBe(code);
  });

  it('should not add a field when the error has none', () => {
    const error = resolverError(conflict('already registered'));

    expect(format(error.toJSON(), error).extensions).toEqual({ code: 'CONFLICT' });
  });
});
