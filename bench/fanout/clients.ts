/**
 * The fan-out benchmark's subscribers, in a process of their own so that their work and memory
 * do not count against the service's. Usage: `clients <ClientOptions as JSON>`; it reports on
 * stdout, one ClientLine per line, and ends once every measured round reached every client, or
 * on SIGTERM with what it has.
 */
import WebSocket from 'ws';
import { percentile } from '../support/report';
import { calibratedClock } from './clock';
import {
  type ClientLine,
  type ClientOptions,
  MEASURED_STATUS,
  PROBE_STATUS,
  SUBSCRIPTION_ID,
  WORKER_METRICS_SUBSCRIPTION,
  workerIdOf,
} from './protocol';

/** Handshakes in flight at once: more would overflow the server's accept backlog (511). */
const HANDSHAKES_IN_FLIGHT = 100;
const GRAPHQL_WS_PROTOCOL = 'graphql-transport-ws';

interface ReceivedMessage {
  type?: string;
  payload?: { data?: { workerMetrics?: { status?: string; collectedAt?: string } } };
}

interface Round {
  probe: boolean;
  delivered: number;
  slowestMs: number;
}

function emit(line: ClientLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Latencies of every measured message, and which rounds reached every client. */
class Deliveries {
  private readonly latencies: number[] = [];
  private readonly rounds = new Map<number, Round>();
  private completedRounds = 0;
  private messageBytes = 0;
  failures = 0;

  constructor(
    private readonly options: ClientOptions,
    private readonly onAllRounds: () => void,
  ) {}

  receive(status: string, collectedAt: string, latencyMs: number, bytes: number): void {
    const probe = status === PROBE_STATUS;
    if (!probe && status !== MEASURED_STATUS) {
      this.failures += 1;
      return;
    }
    if (!probe) {
      this.latencies.push(latencyMs);
      this.messageBytes ||= bytes;
    }
    const publishedAt = Date.parse(collectedAt);
    const round = this.rounds.get(publishedAt) ?? { probe, delivered: 0, slowestMs: 0 };
    this.rounds.set(publishedAt, round);
    round.delivered += 1;
    round.slowestMs = Math.max(round.slowestMs, latencyMs);
    if (round.delivered === this.options.subscribers) {
      emit({ event: 'round', publishedAt, probe, slowestMs: round.slowestMs });
      this.completedRounds += probe ? 0 : 1;
      if (this.completedRounds === this.options.rounds) {
        this.onAllRounds();
      }
    }
  }

  summary(): ClientLine {
    const sorted = this.latencies.sort((a, b) => a - b);
    const measured = [...this.rounds.values()].filter((round) => !round.probe);
    return {
      event: 'summary',
      summary: {
        delivered: sorted.length,
        expected: this.options.subscribers * this.options.rounds,
        p50Ms: percentile(sorted, 0.5),
        p99Ms: percentile(sorted, 0.99),
        maxMs: sorted.at(-1) ?? Number.NaN,
        busyMs: measured.reduce((sum, round) => sum + round.slowestMs, 0),
        messageBytes: this.messageBytes,
        failures: this.failures,
      },
    };
  }
}

class Subscribers {
  private readonly clock = calibratedClock();
  private readonly sockets: WebSocket[] = [];
  private readonly deliveries: Deliveries;
  private finished = false;

  constructor(private readonly options: ClientOptions) {
    this.deliveries = new Deliveries(options, () => this.finish());
  }

  async connect(): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < this.options.subscribers && !this.finished) {
        const index = next;
        next += 1;
        await this.open(index);
      }
    };
    await Promise.all(Array.from({ length: HANDSHAKES_IN_FLIGHT }, worker));
    emit({ event: 'connected' });
  }

  /** Prints the summary and leaves: the sockets are dropped, not closed one handshake at a time. */
  finish(): void {
    if (this.finished) {
      return;
    }
    this.finished = true;
    emit(this.deliveries.summary());
    this.sockets.forEach((socket) => socket.terminate());
  }

  fail(reason: string): void {
    this.finished = true;
    emit({ event: 'failed', reason });
    this.sockets.forEach((socket) => socket.terminate());
    process.exitCode = 1;
  }

  /** Resolves once the socket is open and, over graphql-ws, acknowledged and subscribed. */
  private open(index: number): Promise<void> {
    const graphql = this.options.mode !== 'raw';
    const socket = new WebSocket(this.options.url, graphql ? GRAPHQL_WS_PROTOCOL : [], {
      perMessageDeflate: false,
    });
    this.sockets.push(socket);
    return new Promise((resolve, reject) => {
      let ready = false;
      const becomeReady = () => {
        ready = true;
        resolve();
      };
      socket.on('open', () => {
        if (graphql) {
          socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
        } else {
          becomeReady();
        }
      });
      socket.on('message', (data: Buffer) => {
        const receivedAt = this.clock();
        const message = JSON.parse(data.toString()) as ReceivedMessage;
        if (message.type === 'connection_ack') {
          socket.send(JSON.stringify(this.subscribeMessage(index)));
          becomeReady();
          return;
        }
        const sample = message.payload?.data?.workerMetrics;
        if (message.type !== 'next' || !sample?.status || !sample.collectedAt) {
          this.deliveries.failures += 1;
          return;
        }
        const latencyMs = receivedAt - Date.parse(sample.collectedAt);
        this.deliveries.receive(sample.status, sample.collectedAt, latencyMs, data.length);
      });
      socket.on('error', (error) => {
        if (!ready) {
          reject(error);
        }
      });
      socket.on('close', (code, reason) => {
        if (!ready) {
          reject(new Error(`socket ${index} closed during setup: ${code} ${reason.toString()}`));
        } else if (!this.finished) {
          this.deliveries.failures += 1;
        }
      });
    });
  }

  private subscribeMessage(index: number): object {
    const variables =
      this.options.mode === 'graphql-one' ? { workerId: workerIdOf(index) } : undefined;
    return {
      id: SUBSCRIPTION_ID,
      type: 'subscribe',
      payload: { query: WORKER_METRICS_SUBSCRIPTION, variables },
    };
  }
}

function main(): void {
  const options = JSON.parse(process.argv[2] ?? '') as ClientOptions;
  const subscribers = new Subscribers(options);
  process.once('SIGTERM', () => subscribers.finish());
  subscribers.connect().catch((error: unknown) => {
    subscribers.fail(error instanceof Error ? error.message : String(error));
  });
}

main();
