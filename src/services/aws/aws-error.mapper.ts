import { DomainError, ErrorCode } from '../../errors/domain-error';

/** Every name AWS gives a throttled call, across EC2, CloudWatch and the SDK. */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);

const INSTANCE_ID_IN_MESSAGE = /i-[0-9a-f]+/g;

/**
 * The ids of `requested` that an `InvalidInstanceID.NotFound` names: EC2 fails a whole call
 * naming one or more instances when any is unknown, and lists every unknown one.
 */
export function unknownInstanceIds(error: unknown, requested: readonly string[]): string[] {
  const aws = error as { name?: string; message?: string } | null;
  if (aws?.name !== 'InvalidInstanceID.NotFound') {
    return [];
  }
  const named = new Set(aws.message?.match(INSTANCE_ID_IN_MESSAGE) ?? []);
  return requested.filter((id) => named.has(id));
}

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

/**
 * Turns what the AWS SDK threw into the error the client should see. The SDK has already retried
 * throttling and 5xx answers by the time an error reaches this point.
 */
export function toDomainError(
  error: unknown,
  context: { instanceId?: string; region: string },
): unknown {
  if (typeof error !== 'object' || error === null || error instanceof DomainError) {
    return error;
  }
  const aws = error as AwsLikeError;
  const code = aws.name ?? '';
  const message = aws.message ?? code;
  const subject = context.instanceId ? `instance ${context.instanceId}` : 'the request';
  const fail = (errorCode: ErrorCode, text: string, field?: string) =>
    new DomainError(errorCode, text, field, { cause: error });

  if (code === 'InvalidInstanceID.NotFound') {
    return fail(ErrorCode.NOT_FOUND, `EC2 has no ${subject} in ${context.region}`, 'awsInstanceId');
  }
  if (code === 'InvalidInstanceID.Malformed') {
    return fail(
      ErrorCode.BAD_USER_INPUT,
      `EC2 rejected the instance id: ${message}`,
      'awsInstanceId',
    );
  }
  if (code === 'IncorrectInstanceState') {
    return fail(ErrorCode.CONFLICT, `EC2 refused: ${message}`);
  }
  if (code.startsWith('InvalidAMIID.')) {
    return fail(ErrorCode.BAD_USER_INPUT, `EC2 rejected the AMI: ${message}`, 'amiId');
  }
  if (code === 'InvalidParameterValue' || code === 'InvalidParameterCombination') {
    return fail(ErrorCode.BAD_USER_INPUT, `EC2 rejected a parameter: ${message}`);
  }
  if (THROTTLING_CODES.has(code)) {
    return fail(
      ErrorCode.UPSTREAM_UNAVAILABLE,
      `AWS is throttling requests in ${context.region}; retry later`,
    );
  }
  if (NETWORK_CODES.has(aws.code ?? code) || code === 'TimeoutError') {
    return fail(
      ErrorCode.UPSTREAM_UNAVAILABLE,
      `AWS is unreachable in ${context.region} (${aws.code ?? code})`,
    );
  }
  if (aws.$fault) {
    const status = aws.$metadata?.httpStatusCode;
    return fail(
      ErrorCode.UPSTREAM_UNAVAILABLE,
      `AWS ${aws.$fault === 'server' ? 'failed' : 'refused'} the request for ${subject}${status ? ` (HTTP ${status})` : ''}: ${code}: ${message}`,
    );
  }
  return error;
}
