import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { spawnEntry } from '../../test/support/service-process';
import type { ClientLine, ClientOptions, ClientSummary } from './protocol';

type LineOf<E extends ClientLine['event']> = Extract<ClientLine, { event: E }>;

/** Lines of stderr kept for the error message when the client process fails. */
const STDERR_LINES = 20;

/** The client process (bench/fanout/clients.ts), seen from the benchmark. */
export class ClientProcess {
  private readonly lines: ClientLine[] = [];
  private readonly stderr: string[] = [];
  private readonly exited: Promise<void>;
  private hasExited = false;
  private wake: (() => void) | undefined;

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
      this.lines.push(JSON.parse(text) as ClientLine);
      this.wake?.();
    });
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (text) => {
      this.stderr.push(text);
      this.stderr.splice(0, this.stderr.length - STDERR_LINES);
    });
    this.exited = new Promise((resolve) =>
      // 'close' rather than 'exit': every line of stdout has been read by then.
      child.once('close', () => {
        this.hasExited = true;
        this.wake?.();
        resolve();
      }),
    );
  }

  static start(options: ClientOptions): ClientProcess {
    return new ClientProcess(spawnEntry('bench/fanout/clients', [JSON.stringify(options)], {}));
  }

  /**
   * The next line of this kind that `accept`s, skipping others; undefined when none came within
   * `timeoutMs`. Throws when the clients failed or exited.
   */
  async waitFor<E extends ClientLine['event']>(
    event: E,
    timeoutMs: number,
    accept: (line: LineOf<E>) => boolean = () => true,
  ): Promise<LineOf<E> | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.shift();
      if (line?.event === 'failed') {
        throw new Error(`the fan-out clients failed: ${line.reason}`);
      }
      if (line?.event === event && accept(line as LineOf<E>)) {
        return line as LineOf<E>;
      }
      if (line) {
        continue;
      }
      if (this.hasExited) {
        throw new Error(
          `the fan-out clients exited with ${this.child.exitCode}:\n${this.stderr.join('\n')}`,
        );
      }
      if (Date.now() >= deadline) {
        return undefined;
      }
      await this.lineOrExit(deadline - Date.now());
    }
  }

  /** The summary, once every round is in; clients still waiting for one are told to stop. */
  async summary(timeoutMs: number): Promise<ClientSummary> {
    let finished = await this.waitFor('summary', timeoutMs);
    if (!finished) {
      this.child.kill('SIGTERM');
      finished = await this.waitFor('summary', timeoutMs);
    }
    if (!finished) {
      throw new Error(`the fan-out clients sent no summary:\n${this.stderr.join('\n')}`);
    }
    return finished.summary;
  }

  async stop(): Promise<void> {
    if (!this.hasExited) {
      this.child.kill('SIGKILL');
    }
    await this.exited;
  }

  private lineOrExit(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.wake = done;
    });
  }
}
