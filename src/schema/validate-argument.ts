import { validateOrReject, type ValidationError, type ValidatorOptions } from 'class-validator';
import type { FieldNode } from 'graphql';
import { ArgumentValidationError, type ResolverData } from 'type-graphql';
import { getOrAdd } from '../lib/maps';

const OPTIONS: ValidatorOptions = {
  forbidUnknownValues: false,
  stopAtFirstError: false,
  skipMissingProperties: true,
};

const isValidatable = (value: unknown): value is object =>
  value !== null && typeof value === 'object';

/**
 * A field's arguments come from its place in the document and the operation's variables alone:
 * once valid for one parent of a page, they are valid for all of them (50 validations of
 * `metrics(limit: 10)` on a page of 50 workers, one now). Two arguments of a field may share a
 * type, so a value is known by its type and its JSON.
 */
const validated = new WeakMap<readonly FieldNode[], WeakMap<object, Map<unknown, Set<string>>>>();

function validatedOf(info: ResolverData['info']): Map<unknown, Set<string>> {
  let ofVariables = validated.get(info.fieldNodes);
  if (!ofVariables) {
    ofVariables = new WeakMap();
    validated.set(info.fieldNodes, ofVariables);
  }
  let ofTypes = ofVariables.get(info.variableValues);
  if (!ofTypes) {
    ofTypes = new Map();
    ofVariables.set(info.variableValues, ofTypes);
  }
  return ofTypes;
}

/**
 * type-graphql's own argument validation, with class-validator imported once: the built-in one
 * requires the module and copies all its exports for every argument of every field, 6 % of the
 * CPU of a page of 50 workers with their metrics and alerts.
 */
export async function validateArgument(
  value: unknown,
  type: unknown,
  { info }: ResolverData,
): Promise<void> {
  if (!isValidatable(value)) {
    return;
  }
  const ofTypes = validatedOf(info);
  const text = JSON.stringify(value);
  if (ofTypes.get(type)?.has(text)) {
    return;
  }
  try {
    if (Array.isArray(value)) {
      await Promise.all(value.filter(isValidatable).map((item) => validateOrReject(item, OPTIONS)));
    } else {
      await validateOrReject(value, OPTIONS);
    }
  } catch (error) {
    throw new ArgumentValidationError(error as ValidationError[]);
  }
  getOrAdd(ofTypes, type, () => new Set<string>()).add(text);
}
