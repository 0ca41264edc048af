import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import type { InitializeMiddleware } from '@smithy/types';
import type { AwsCallOutcome } from '../../observability/metrics';
import { THROTTLING_CODES } from './aws-error.mapper';

export interface AwsConnection {
  /** Set for the emulator or an AWS-compatible endpoint; unset for AWS itself. */
  endpoint?: string;
  /** Unset: the SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
  /** Per attempt: a hung connection must not hold a poll past its job's lock. */
  requestTimeoutMs?: number;
}

/** Told of every AWS call the service makes once it ends (the SDK's retries included in one). */
export type AwsCallListener = (action: string, outcome: AwsCallOutcome) => void;

/** One SDK client per service and region, built on first use and shared afterwards. */
export class AwsClients {
  private readonly ec2 = new Map<string, EC2Client>();
  private readonly cloudWatch = new Map<string, CloudWatchClient>();

  constructor(
    private readonly connection: AwsConnection,
    private readonly onCall?: AwsCallListener,
  ) {}

  ec2For(region: string): EC2Client {
    let client = this.ec2.get(region);
    if (!client) {
      client = new EC2Client(this.optionsFor(region));
      client.middlewareStack.add(this.callCounter(), COUNTER_OPTIONS);
      this.ec2.set(region, client);
    }
    return client;
  }

  cloudWatchFor(region: string): CloudWatchClient {
    let client = this.cloudWatch.get(region);
    if (!client) {
      client = new CloudWatchClient(this.optionsFor(region));
      client.middlewareStack.add(this.callCounter(), COUNTER_OPTIONS);
      this.cloudWatch.set(region, client);
    }
    return client;
  }

  destroy(): void {
    for (const client of [...this.ec2.values(), ...this.cloudWatch.values()]) {
      client.destroy();
    }
    this.ec2.clear();
    this.cloudWatch.clear();
  }

  private optionsFor(region: string) {
    const { requestTimeoutMs, ...connection } = this.connection;
    // Without throwOnRequestTimeout, @smithy/node-http-handler 4.x only logs a warning when
    // requestTimeout passes and lets the hung request run on.
    const requestHandler = requestTimeoutMs
      ? {
          requestTimeout: requestTimeoutMs,
          connectionTimeout: requestTimeoutMs,
          throwOnRequestTimeout: true,
        }
      : undefined;
    return { region, ...connection, requestHandler };
  }

  private callCounter<Input extends object, Output extends object>(): InitializeMiddleware<
    Input,
    Output
  > {
    return (next, context) => async (args) => {
      const action = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      try {
        const output = await next(args);
        this.onCall?.(action, 'ok');
        return output;
      } catch (error) {
        this.onCall?.(action, isThrottling(error) ? 'throttled' : 'error');
        throw error;
      }
    };
  }
}

const COUNTER_OPTIONS = { step: 'initialize', name: 'countAwsCalls' } as const;

function isThrottling(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as {
    name?: string;
    $metadata?: { httpStatusCode?: number };
  };
  return (name !== undefined && THROTTLING_CODES.has(name)) || $metadata?.httpStatusCode === 429;
}
