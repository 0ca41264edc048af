import { type IncomingHttpHeaders, request } from 'node:http';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  type EmulatorOptions,
  type RunningEmulator,
  startEmulator,
} from '../../src/emulator/emulator.server';
import type { EmulatorTiming } from '../../src/emulator/instance-lifecycle';

export const TEST_REGION = 'eu-west-1';
export const OTHER_REGION = 'ap-southeast-2';
export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** 2026-01-01T12:00:00Z: a round minute, so expected datapoint timestamps are easy to state. */
export const START_TIME = Date.UTC(2026, 0, 1, 12, 0, 0);
export const MINUTE = 60_000;

export const TEST_TIMING: EmulatorTiming = {
  pendingToRunningMs: 2_000,
  stoppingToStoppedMs: 3_000,
  shuttingDownToTerminatedMs: 4_000,
  initializingChecksMs: 10_000,
  terminatedVisibleForMs: 60_000,
};

/** The emulator's time, moved only by the test, so state timing is exact and instant. */
export class ManualClock {
  constructor(private time = START_TIME) {}

  readonly now = (): number => this.time;

  advance(milliseconds: number): void {
    this.time += milliseconds;
  }
}

export function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ defaultRegion: TEST_REGION, timing: TEST_TIMING, seed: 7, ...options });
}

/**
 * Retries what the SDK classified as throttling or transient, without waiting, and remembers
 * each classification: the SDK's own strategy would sleep for seconds between throttled tries.
 */
export class ImmediateRetryStrategy {
  readonly classifications: string[] = [];

  constructor(private readonly maxAttempts: number) {}

  acquireInitialRetryToken(): Promise<RetryToken> {
    return Promise.resolve(retryToken(0));
  }

  refreshRetryTokenForRetry(
    token: RetryToken,
    errorInfo: { errorType: string },
  ): Promise<RetryToken> {
    this.classifications.push(errorInfo.errorType);
    const retryable = errorInfo.errorType === 'THROTTLING' || errorInfo.errorType === 'TRANSIENT';
    if (!retryable || token.getRetryCount() + 1 >= this.maxAttempts) {
      return Promise.reject(new Error('no retry left'));
    }
    return Promise.resolve(retryToken(token.getRetryCount() + 1));
  }

  recordSuccess(): void {}
}

interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

function retryToken(count: number): RetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => 0 };
}

interface ClientOptions {
  region?: string;
  retryStrategy?: ImmediateRetryStrategy;
}

/** A client that does not retry unless given a retry strategy, so each send is one call. */
export function ec2Client(
  emulator: Pick<RunningEmulator, 'endpoint'>,
  options: ClientOptions = {},
): EC2Client {
  return new EC2Client({
    region: options.region ?? TEST_REGION,
    endpoint: emulator.endpoint,
    credentials: CREDENTIALS,
    ...(options.retryStrategy ? { retryStrategy: options.retryStrategy } : { maxAttempts: 1 }),
  });
}

export function cloudWatchClient(
  emulator: Pick<RunningEmulator, 'endpoint'>,
  options: ClientOptions = {},
): CloudWatchClient {
  return new CloudWatchClient({
    region: options.region ?? TEST_REGION,
    endpoint: emulator.endpoint,
    credentials: CREDENTIALS,
    ...(options.retryStrategy ? { retryStrategy: options.retryStrategy } : { maxAttempts: 1 }),
  });
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<AwsSdkError> {
  try {
    await promise;
  } catch (error) {
    return error as AwsSdkError;
  }
  throw new Error('Expected the call to fail, but it succeeded');
}

export interface AwsSdkError extends Error {
  Code?: string;
  $fault?: 'client' | 'server';
  $metadata: { httpStatusCode?: number; attempts?: number };
}

/** Polls until `probe` returns a value, for the few tests that run on the real clock. */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A raw HTTP call to the emulator, for what the SDK would not send (control API, bad input). */
export function http(
  emulator: RunningEmulator,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: unknown; text: string; headers: IncomingHttpHeaders }> {
  const body =
    init.body === undefined || typeof init.body === 'string'
      ? init.body
      : JSON.stringify(init.body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${emulator.endpoint}${path}`,
      { method: init.method ?? 'GET', headers: init.headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, json, text, headers: response.headers });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
