/**
 * An error AWS itself would answer with. The protocol layers render it in their own format
 * (EC2 XML, CloudWatch JSON or XML); `code` is what the SDK turns into the error's `name`.
 */
export class AwsServiceError extends Error {
  override readonly name = 'AwsServiceError';

  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }

  /** Who AWS blames: the SDKs read it as the error's fault. */
  get fault(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

export function invalidParameterValue(message: string): AwsServiceError {
  return new AwsServiceError('InvalidParameterValue', message);
}

export function missingParameter(name: string): AwsServiceError {
  return new AwsServiceError('MissingParameter', `The request must contain the parameter ${name}`);
}

export function invalidParameterCombination(message: string): AwsServiceError {
  return new AwsServiceError('InvalidParameterCombination', message);
}
