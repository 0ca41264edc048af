import type { Config } from '../../config';
import { cmlEndpointFor } from '../../emulator/cml/cml-endpoint';
import type { Worker } from '../../entities/worker.entity';

export type EndpointSource = Pick<
  Worker,
  'awsInstanceId' | 'cmlEndpointOverride' | 'privateIpAddress' | 'publicIpAddress' | 'publicDnsName'
>;

/** Where a worker's controller is: its own endpoint, else one derived from its instance. */
export interface CmlEndpoints {
  endpointOf(worker: EndpointSource): string | null;
  /** Whether derived endpoints follow addresses that change when an instance starts again. */
  readonly followsPublicAddress: boolean;
}

/**
 * `emulatorEndpoint`: where the emulator serves its controllers (`/cml/{instanceId}` beside
 * its AWS endpoint), for CML_ENDPOINT_FROM=emulator.
 */
export function cmlEndpoints(
  config: Pick<Config['cml'], 'endpointFrom' | 'endpointPort'>,
  emulatorEndpoint: string | undefined,
): CmlEndpoints {
  const port = config.endpointPort === undefined ? '' : `:${config.endpointPort}`;
  const https = (host: string | null) => (host ? `https://${bracketed(host)}${port}` : null);
  const derive = (worker: EndpointSource): string | null => {
    switch (config.endpointFrom) {
      case 'emulator':
        return emulatorEndpoint
          ? cmlEndpointFor(emulatorEndpoint.replace(/\/+$/, ''), worker.awsInstanceId)
          : null;
      case 'private-ip':
        return https(worker.privateIpAddress);
      case 'public-ip':
        return https(worker.publicIpAddress);
      case 'public-dns':
        return https(worker.publicDnsName);
    }
  };
  return {
    endpointOf: (worker) => worker.cmlEndpointOverride ?? derive(worker),
    followsPublicAddress:
      config.endpointFrom === 'public-ip' || config.endpointFrom === 'public-dns',
  };
}

function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
