import { AwsServiceError } from './aws-error';
import { type CloudWatchCall, getMetricData, getMetricStatistics } from './metric-queries';
import { renderXmlDocument, type XmlValue } from './xml';
/** The JSON protocol's `x-amz-target` prefix, the service's original Smithy name. */
export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.';
/** The query protocol's `Version` parameter for CloudWatch. */
export const CLOUDWATCH_QUERY_VERSION = '2010-08-01';
const CLOUDWATCH_NAMESPACE = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

/** Runs one action for the AWS JSON 1.0 protocol (the one current SDKs speak). */
export function handleCloudWatchJson(action: string, call: CloudWatchCall): string {
  if (action === 'GetMetricData') {
    const output = getMetricData(call);
    return JSON.stringify({
      MetricDataResults: output.MetricDataResults.map((result) => ({
        ...result,
        Timestamps: result.Timestamps.map(toEpochSeconds),
      })),
      NextToken: output.NextToken,
      Messages: [],
    });
  }
  if (action === 'GetMetricStatistics') {
    const output = getMetricStatistics(call);
    return JSON.stringify({
      Label: output.Label,
      Datapoints: output.Datapoints.map((datapoint) => ({
        Timestamp: toEpochSeconds(datapoint.Timestamp),
        ...Object.fromEntries(datapoint.statistics),
        Unit: 'Percent',
      })),
    });
  }
  throw unknownOperation(action);
}

/** Runs one action for the query protocol (form-encoded, XML answers) older SDKs speak. */
export function handleCloudWatchQuery(
  action: string,
  call: CloudWatchCall,
  requestId: string,
): string {
  let result: XmlValue;
  if (action === 'GetMetricData') {
    const output = getMetricData(call);
    result = {
      MetricDataResults: output.MetricDataResults.map((entry) => ({
        Id: entry.Id,
        Label: entry.Label,
        Timestamps: entry.Timestamps.map((timestamp) => new Date(timestamp)),
        Values: entry.Values,
        StatusCode: entry.StatusCode,
      })),
      Messages: [],
      NextToken: output.NextToken,
    };
  } else if (action === 'GetMetricStatistics') {
    const output = getMetricStatistics(call);
    result = {
      Label: output.Label,
      Datapoints: output.Datapoints.map((datapoint) => ({
        Timestamp: new Date(datapoint.Timestamp),
        ...Object.fromEntries(datapoint.statistics),
        Unit: 'Percent',
      })),
    };
  } else {
    throw new AwsServiceError(
      'InvalidAction',
      `Could not find operation ${action} for version ${CLOUDWATCH_QUERY_VERSION}`,
    );
  }
  return renderXmlDocument(
    `${action}Response`,
    CLOUDWATCH_NAMESPACE,
    { [`${action}Result`]: result, ResponseMetadata: { RequestId: requestId } },
    'member',
  );
}

/** The modelled exception each query-protocol error code maps to, which the SDK matches on. */
const JSON_ERROR_SHAPES: Readonly<Record<string, string>> = {
  InvalidParameterValue: 'InvalidParameterValueException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  MissingParameter: 'MissingRequiredParameterException',
  InvalidNextToken: 'InvalidNextToken',
  InternalServiceError: 'InternalServiceFault',
};

export function renderCloudWatchJsonError(error: AwsServiceError): {
  body: string;
  headers: Record<string, string>;
} {
  const shape = JSON_ERROR_SHAPES[error.code] ?? error.code;
  return {
    body: JSON.stringify({ __type: `com.amazonaws.cloudwatch#${shape}`, message: error.message }),
    headers: { 'x-amzn-query-error': `${error.code};${error.fault}` },
  };
}

export function renderCloudWatchQueryError(error: AwsServiceError, requestId: string): string {
  return renderXmlDocument(
    'ErrorResponse',
    CLOUDWATCH_NAMESPACE,
    {
      Error: { Type: error.fault, Code: error.code, Message: error.message },
      RequestId: requestId,
    },
    'member',
  );
}

export function unknownOperation(action: string): AwsServiceError {
  return new AwsServiceError('UnknownOperationException', `Unknown operation ${action}`);
}

function toEpochSeconds(milliseconds: number): number {
  return milliseconds / 1000;
}
