import { REGION_PATTERN } from './aws-identifiers';

const SIGNING_SCOPE = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;
const REGION_IN_HOST = /(?:^|\.)([a-z]{2}(?:-[a-z]+)+-\d{1,2})(?:\.|$)/;

/** The region and service a request was signed for (signatures themselves are not checked). */
export interface SigningScope {
  region: string;
  service: string;
}

/** Reads `Credential=AKID/20260101/eu-west-1/ec2/aws4_request` from a SigV4 Authorization header. */
export function signingScope(authorization: string | undefined): SigningScope | undefined {
  const match = authorization === undefined ? null : SIGNING_SCOPE.exec(authorization);
  const [, region, service] = match ?? [];
  return region !== undefined && service !== undefined && REGION_PATTERN.test(region)
    ? { region, service }
    : undefined;
}

/** The region named in a host such as `ec2.eu-west-1.amazonaws.com`, if any. */
export function regionFromHost(host: string | undefined): string | undefined {
  const name = host?.replace(/:\d+$/, '').toLowerCase();
  return name === undefined ? undefined : REGION_IN_HOST.exec(name)?.[1];
}
