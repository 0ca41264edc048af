import { DomainError, ErrorCode } from '../../src/errors/domain-error';
import { toDomainError } from '../../src/services/aws/aws-error.mapper';

const sdkError = (name: string, fault: 'client' | 'server' = 'client', status = 400) =>
  Object.assign(new Error(`${name} happened`), {
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status },
  });

describe(toDomainError.name, () => {
  const context = { region: 'eu-west-1', instanceId: 'i-0123456789abcdef0' };

  it.each([
    ['InvalidInstanceID.NotFound', ErrorCode.NOT_FOUND, 'awsInstanceId'],
    ['InvalidInstanceID.Malformed', ErrorCode.BAD_USER_INPUT, 'awsInstanceId'],
    ['IncorrectInstanceState', ErrorCode.CONFLICT, undefined],
    ['InvalidAMIID.NotFound', ErrorCode.BAD_USER_INPUT, 'amiId'],
    ['InvalidParameterValue', ErrorCode.BAD_USER_INPUT, undefined],
    ['RequestLimitExceeded', ErrorCode.UPSTREAM_UNAVAILABLE, undefined],
    ['Throttling', ErrorCode.UPSTREAM_UNAVAILABLE, undefined],
    ['UnauthorizedOperation', ErrorCode.UPSTREAM_UNAVAILABLE, undefined],
  ])('should map %s to %s', (name, code, field) => {
    const mapped = toDomainError(sdkError(name), context);

    expect(mapped).toBeInstanceOf(DomainError);
    expect(mapped).toMatchObject({ code, field });
  });

  it('should report a 5xx after retries as upstream unavailable, with the status', () => {
    expect(toDomainError(sdkError('InternalError', 'server', 503), context)).toMatchObject({
      code: ErrorCode.UPSTREAM_UNAVAILABLE,
      message: expect.stringContaining('HTTP 503'),
    });
  });

  it('should report an unreachable endpoint as upstream unavailable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });

    expect(toDomainError(refused, context)).toMatchObject({ code: ErrorCode.UPSTREAM_UNAVAILABLE });
  });

  it('should leave errors that are not from AWS untouched', () => {
    const bug = new TypeError('x is undefined');

    expect(toDomainError(bug, context)).toBe(bug);
  });
});
