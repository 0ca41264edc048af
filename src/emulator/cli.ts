import { parseArgs } from 'node:util';
import { REGION_PATTERN } from './aws-identifiers';
import { CML_API_BASE, cmlEndpointFor } from './cml/cml-endpoint';
import { DEMO_FLEET_SIZE, seedDemoFleet } from './demo-fleet';
import { startEmulator } from './emulator.server';

const USAGE = `Usage: node dist/src/emulator/cli.js [--port 4566] [--host 127.0.0.1] [--region us-east-1] [--instances ${DEMO_FLEET_SIZE}]

Runs the AWS emulator (EC2 and CloudWatch, and a CML controller per instance) with a demo fleet
of running workers.
  --port       port to listen on; 0 picks a free one (default 4566)
  --host       address to listen on (default 127.0.0.1)
  --region     region of the demo fleet, and of requests that name none (default us-east-1)
  --instances  how many demo workers to create, 0 to 10000 (default ${DEMO_FLEET_SIZE})

Environment:
  EMULATOR_CML_TOKEN_LIFETIME_MS  how long CML tokens last, in milliseconds (default 8 h)`;

interface CliOptions {
  port: number;
  host: string;
  region: string;
  instances: number;
  cmlTokenLifetimeMs: number | undefined;
}

class UsageError extends Error {}

function parseOptions(args: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string', default: '4566' },
      host: { type: 'string', default: '127.0.0.1' },
      region: { type: 'string', default: 'us-east-1' },
      instances: { type: 'string', default: String(DEMO_FLEET_SIZE) },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    return 'help';
  }
  const port = Number(values.port);
  const instances = Number(values.instances);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`--port must be a port number, not ${values.port}`);
  }
  if (!Number.isInteger(instances) || instances < 0 || instances > 10_000) {
    throw new UsageError(
      `--instances must be a whole number from 0 to 10000, not ${values.instances}`,
    );
  }
  if (!REGION_PATTERN.test(values.region)) {
    throw new UsageError(`--region must be an AWS region such as eu-west-1, not ${values.region}`);
  }
  return {
    port,
    host: values.host,
    region: values.region,
    instances,
    cmlTokenLifetimeMs: parseTokenLifetime(env.EMULATOR_CML_TOKEN_LIFETIME_MS),
  };
}

function parseTokenLifetime(value: string | undefined): number | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  const lifetimeMs = Number(value);
  if (!Number.isInteger(lifetimeMs) || lifetimeMs < 1000) {
    throw new UsageError(
      `EMULATOR_CML_TOKEN_LIFETIME_MS must be a whole number of milliseconds, at least 1000, not ${value}`,
    );
  }
  return lifetimeMs;
}

async function main(args: string[]): Promise<void> {
  let options: CliOptions | 'help';
  try {
    options = parseOptions(args, process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const emulator = await startEmulator({
    port: options.port,
    host: options.host,
    defaultRegion: options.region,
    cmlTokenLifetimeMs: options.cmlTokenLifetimeMs,
  });
  const demo = seedDemoFleet(emulator.fleet, options.region, options.instances);
  const lines = [
    `AWS emulator listening on ${emulator.endpoint}`,
    `  EC2 and CloudWatch: use it as the SDK clients' endpoint, with any credentials`,
    `  control API:        ${emulator.endpoint}/_emulator/instances`,
    `  CML controllers:    ${cmlEndpointFor(emulator.endpoint, '{instanceId}')}${CML_API_BASE}/...`,
    `Demo fleet in ${options.region}:`,
    ...demo.map(
      (instance) =>
        `  ${instance.instanceId}  ${instance.name}  ${instance.instanceType}${instance.runsHot ? '  (CPU above 90 % every 15 min)' : ''}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const stop = (signal: NodeJS.Signals) => {
    process.stdout.write(`${signal}: stopping the AWS emulator\n`);
    emulator.close().catch((error: unknown) => {
      process.stderr.write(`Could not stop cleanly: ${String(error)}\n`);
      process.exitCode = 1;
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `The AWS emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
