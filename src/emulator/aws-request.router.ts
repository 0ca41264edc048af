import { AwsServiceError } from './aws-error';
import {
  CLOUDWATCH_QUERY_VERSION,
  CLOUDWATCH_TARGET_PREFIX,
  handleCloudWatchJson,
  handleCloudWatchQuery,
  renderCloudWatchJsonError,
  renderCloudWatchQueryError,
  unknownOperation,
} from './cloudwatch.protocol';
import { handleEc2Action, renderEc2Error } from './ec2.protocol';
import type { FaultDecision } from './fault-injection';
import type { EmulatedFleet } from './fleet.state';
import { QueryParams } from './query-params';
import { JsonReader, QueryReader } from './request-reader';

/** One protocol's way of naming an action, answering it and rendering errors. */
export interface AwsProtocol {
  action: string;
  contentType: string;
  /** `fault`: what was injected into this call, for the faults that shape the answer itself. */
  run(requestId: string, fault: FaultDecision): string;
  renderError(
    error: AwsServiceError,
    requestId: string,
  ): { body: string; headers?: Record<string, string> };
  throttling(): AwsServiceError;
  serverError(status: 500 | 503): AwsServiceError;
}

/** What tells the protocols apart: only CloudWatch's JSON protocol names its target in a header. */
export interface AwsRequest {
  target: string | string[] | undefined;
  /** The service named in the SigV4 scope: `ec2` or `monitoring`. */
  signingService: string | undefined;
  search: string;
  body: string;
}

/** Picks the protocol a request speaks: CloudWatch JSON, CloudWatch query or EC2 query. */
export function routeAwsRequest(
  fleet: EmulatedFleet,
  region: string,
  request: AwsRequest,
): AwsProtocol {
  const { target, body, signingService } = request;
  if (typeof target === 'string') {
    return cloudWatchJson(fleet, region, target, body);
  }
  const params = QueryParams.fromRequest(body, request.search);
  const action = params.string('Action') ?? '';
  const isCloudWatch =
    signingService === 'monitoring' || params.string('Version') === CLOUDWATCH_QUERY_VERSION;
  if (isCloudWatch) {
    return {
      action,
      contentType: 'text/xml',
      run: (requestId) =>
        handleCloudWatchQuery(action, { fleet, region, input: new QueryReader(params) }, requestId),
      renderError: (error, requestId) => ({ body: renderCloudWatchQueryError(error, requestId) }),
      throttling: cloudWatchThrottling,
      serverError: cloudWatchServerError,
    };
  }
  return {
    action,
    contentType: 'text/xml;charset=UTF-8',
    run: (requestId, { newInstanceNotFoundMs }) => {
      if (action === '') {
        throw new AwsServiceError('MissingAction', 'The request must contain the parameter Action');
      }
      return handleEc2Action(action, { fleet, region, params, newInstanceNotFoundMs }, requestId);
    },
    renderError: (error, requestId) => ({ body: renderEc2Error(error, requestId) }),
    throttling: ec2Throttling,
    serverError: (status) =>
      status === 503
        ? new AwsServiceError(
            'Unavailable',
            "The server is overloaded and can't handle the request.",
            503,
          )
        : new AwsServiceError('InternalError', 'An internal error has occurred.', 500),
  };
}

function cloudWatchJson(
  fleet: EmulatedFleet,
  region: string,
  target: string,
  body: string,
): AwsProtocol {
  const action = target.startsWith(CLOUDWATCH_TARGET_PREFIX)
    ? target.slice(CLOUDWATCH_TARGET_PREFIX.length)
    : target;
  return {
    action,
    contentType: 'application/x-amz-json-1.0',
    run: () => {
      if (!target.startsWith(CLOUDWATCH_TARGET_PREFIX)) {
        throw unknownOperation(target);
      }
      return handleCloudWatchJson(action, {
        fleet,
        region,
        input: JsonReader.parse(body),
      });
    },
    renderError: (error) => renderCloudWatchJsonError(error),
    throttling: cloudWatchThrottling,
    serverError: cloudWatchServerError,
  };
}

/** EC2 throttles with 503 and `RequestLimitExceeded`; the SDKs retry it as throttling. */
function ec2Throttling(): AwsServiceError {
  return new AwsServiceError('RequestLimitExceeded', 'Request limit exceeded.', 503);
}

function cloudWatchThrottling(): AwsServiceError {
  return new AwsServiceError('Throttling', 'Rate exceeded', 400);
}

function cloudWatchServerError(status: 500 | 503): AwsServiceError {
  return status === 503
    ? new AwsServiceError(
        'ServiceUnavailable',
        'The service is unavailable. Please try again later.',
        503,
      )
    : new AwsServiceError('InternalServiceError', 'An internal error occurred.', 500);
}
