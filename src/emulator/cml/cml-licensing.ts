import { CML_HOSTNAME, runningNodes } from './cml-payloads';
import { DAY_MS, type EmulatedCml, type LicenseState } from './emulated-cml';

const SMART_RECEIVER = 'https://smartreceiver.cisco.com/licservice/license';
/** The base license covers this many running nodes; the expansion feature counts the rest. */
const BASE_NODES = 20;
const MAX_EXPANSION_NODES = 500;
const REGISTRATION_MS = 365 * DAY_MS;

// Cisco's entitlement tags for the two CML features, the same on every controller.
const BASE_FEATURE_ID =
  'regid.2019-10.com.cisco.CML_ENT_BASE,1.0_15d3393c-846c-4e00-a54e-1ea90f2b2160';
const EXPANSION_FEATURE_ID =
  'regid.2019-10.com.cisco.CML_NODE_COUNT,1.0_2607650b-6ca8-46d5-81e5-e6688b7383c4';

const AUTHORIZATION_STATUS: Readonly<Record<LicenseState, string>> = {
  valid: 'IN_COMPLIANCE',
  unregistered: 'EVAL',
  'out-of-compliance': 'OUT_OF_COMPLIANCE',
};

/**
 * `GET /licensing`. A registered controller (valid or out of compliance) has both its
 * registration and its authorization expire at the license's expiry; an unregistered one has
 * no registration, and its evaluation period ends then.
 */
export function licensing(cml: EmulatedCml): object {
  const now = cml.now();
  const expires = cml.licenseExpiresAt;
  const registered = cml.license !== 'unregistered';
  const registeredAt = Math.min(now, expires - REGISTRATION_MS);
  const status = AUTHORIZATION_STATUS[cml.license];
  return {
    registration: registered
      ? {
          status: 'COMPLETED',
          smart_account: 'CML Lab Team',
          virtual_account: 'Default',
          expires: licensingTime(expires),
          register_time: timeInfo({ succeeded: registeredAt, attempted: registeredAt }),
          renew_time: timeInfo({ scheduled: now + DAY_MS }),
        }
      : {
          status: 'UNREGISTERED',
          smart_account: null,
          virtual_account: null,
          expires: null,
          register_time: timeInfo({}),
          renew_time: timeInfo({}),
        },
    authorization: {
      status,
      expires: licensingTime(expires),
      renew_time: registered
        ? timeInfo({ succeeded: now - DAY_MS, attempted: now - DAY_MS, scheduled: now + DAY_MS })
        : timeInfo({}),
    },
    features: [
      feature({
        id: BASE_FEATURE_ID,
        name: 'CML - Enterprise License',
        description: `Cisco Modeling Labs - Enterprise License with ${BASE_NODES} nodes capacity included`,
        inUse: 1,
        max: 1,
        status,
      }),
      feature({
        id: EXPANSION_FEATURE_ID,
        name: 'CML - Expansion Node License',
        description: 'Cisco Modeling Labs - Expansion node capacity for CML Enterprise Servers',
        inUse: Math.max(0, runningNodes(cml) - BASE_NODES),
        max: MAX_EXPANSION_NODES,
        status,
      }),
    ],
    reservation_mode: false,
    transport: {
      default_ssms: SMART_RECEIVER,
      ssms: SMART_RECEIVER,
      proxy: { server: null, port: null },
    },
    udi: { hostname: CML_HOSTNAME, product_uuid: cml.productUuid },
    product_license: { active: 'CML_Enterprise', is_enterprise: true },
  };
}

function feature(fields: {
  id: string;
  name: string;
  description: string;
  inUse: number;
  max: number;
  status: string;
}): object {
  return {
    id: fields.id,
    name: fields.name,
    description: fields.description,
    in_use: fields.inUse,
    status: fields.status,
    version: '1.0',
    min: 0,
    max: fields.max,
    minEndDate: null,
    maxEndDate: null,
  };
}

/** When the controller last talked to Smart Licensing about something, and when it will next. */
function timeInfo(times: { succeeded?: number; attempted?: number; scheduled?: number }): object {
  const succeeded = times.succeeded === undefined ? null : licensingTime(times.succeeded);
  return {
    succeeded,
    attempted: times.attempted === undefined ? null : licensingTime(times.attempted),
    scheduled: times.scheduled === undefined ? null : licensingTime(times.scheduled),
    status: succeeded === null ? null : 'SUCCEEDED',
    failure: null,
    success: succeeded === null ? null : 'SUCCESS',
  };
}

/** The licensing API's timestamps: UTC, to the second, with a space and no zone (`2027-01-14 00:56:19`). */
function licensingTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
