import { invalidParameterValue, missingParameter } from './aws-error';
import type { EmulatedFleet } from './fleet.state';
import { type EmulatedInstance, STATE_CODES } from './instance-lifecycle';
import type { QueryParams } from './query-params';

export interface Filter {
  /** The instance's values the filter looks at: several for `tag-key`, none when absent. */
  candidates: (instance: EmulatedInstance, fleet: EmulatedFleet) => string[];
  patterns: RegExp[];
}

export type FilterField = (instance: EmulatedInstance, fleet: EmulatedFleet) => string | undefined;

const stateName: FilterField = (instance) => instance.state;
const stateCode: FilterField = (instance) => String(STATE_CODES[instance.state]);
const availabilityZone: FilterField = (instance) => instance.availabilityZone;

/** The filters DescribeInstances understands, besides `tag:<key>` and `tag-key`. */
export const INSTANCE_FILTERS: Readonly<Record<string, FilterField>> = {
  'instance-id': (instance) => instance.instanceId,
  'instance-state-name': stateName,
  'instance-state-code': stateCode,
  'instance-type': (instance) => instance.instanceType,
  'image-id': (instance) => instance.imageId,
  'availability-zone': availabilityZone,
  'private-ip-address': (instance) => instance.privateIpAddress,
};

/** The filters DescribeInstanceStatus understands. */
export const STATUS_FILTERS: Readonly<Record<string, FilterField>> = {
  'instance-state-name': stateName,
  'instance-state-code': stateCode,
  'availability-zone': availabilityZone,
  'system-status.status': (instance, fleet) => fleet.statusChecks(instance).system.status,
  'instance-status.status': (instance, fleet) => fleet.statusChecks(instance).instance.status,
};

/** Reads `Filter.N.Name` / `Filter.N.Value.M`; an unknown name is EC2's `InvalidParameterValue`. */
export function parseFilters(
  params: QueryParams,
  fields: Readonly<Record<string, FilterField>>,
): Filter[] {
  return params.structList('Filter').map((filter) => {
    const name = filter.string('Name');
    if (name === undefined) {
      throw missingParameter('Filter.N.Name');
    }
    return {
      candidates: filterCandidates(name, fields),
      patterns: filter.list('Value').map(wildcardPattern),
    };
  });
}

/** EC2 filter values take `*` and `?` wildcards, and `\` to escape them. */
function wildcardPattern(value: string): RegExp {
  let source = '';
  for (let index = 0; index < value.length; index += 1) {
    const character = value.charAt(index);
    if (character === '\\' && index + 1 < value.length) {
      index += 1;
      source += escapeRegExp(value.charAt(index));
    } else if (character === '*') {
      source += '.*';
    } else if (character === '?') {
      source += '.';
    } else {
      source += escapeRegExp(character);
    }
  }
  return new RegExp(`^${source}$`, 's');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function filterCandidates(
  name: string,
  fields: Readonly<Record<string, FilterField>>,
): Filter['candidates'] {
  if (name === 'tag-key') {
    return (instance) => [...instance.tags.keys()];
  }
  if (name.startsWith('tag:')) {
    const key = name.slice('tag:'.length);
    return (instance) => {
      const value = instance.tags.get(key);
      return value === undefined ? [] : [value];
    };
  }
  const field = Object.hasOwn(fields, name) ? fields[name] : undefined;
  if (!field) {
    throw invalidParameterValue(`The filter '${name}' is invalid`);
  }
  return (instance, fleet) => {
    const value = field(instance, fleet);
    return value === undefined ? [] : [value];
  };
}

/** Filters are ANDed; the values of one filter are ORed. */
export function matchesAll(
  filters: readonly Filter[],
  instance: EmulatedInstance,
  fleet: EmulatedFleet,
): boolean {
  return filters.every((filter) =>
    filter
      .candidates(instance, fleet)
      .some((candidate) => filter.patterns.some((pattern) => pattern.test(candidate))),
  );
}
