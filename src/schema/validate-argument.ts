import { validateOrReject, type ValidationError, type ValidatorOptions } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';
import { LruCache } from '../lib/lru-cache';
import { getOrAdd } from '../lib/maps';

const OPTIONS: ValidatorOptions = {
  forbidUnknownValues: false,
  stopAtFirstError: false,
  skipMissingProperties: true,
};

const isValidatable = (value: unknown): value is object =>
  value !== null && typeof value === 'object';

/**
 * Validations of values, by their type and their JSON, kept while they pass. Validation depends
 * on the value alone, and pages repeat their values: `metrics(limit: 10)` for each of the 50
 * workers of a page at once, the same `first` on every refresh of a dashboard. Two arguments of
 * a field may share a type, so a value is known by its type. Bounded: a caller sending ever
 * other values only evicts.
 */
const VALIDATIONS_PER_TYPE = 1_000;
const validations = new WeakMap<object, LruCache<string, Promise<void>>>();

/**
 * type-graphql's own argument validation, with class-validator imported once: the built-in one
 * requires the module and copies all its exports for every argument of every field, 6 % of the
 * CPU of a page of 50 workers with their metrics and alerts.
 */
export async function validateArgument(value: unknown, type: unknown): Promise<void> {
  if (!isValidatable(value)) {
    return;
  }
  if (typeof type !== 'function') {
    return validate(value);
  }
  const known = getOrAdd(validations, type, () => new LruCache(VALIDATIONS_PER_TYPE));
  const text = JSON.stringify(value);
  let validation = known.get(text);
  if (!validation) {
    validation = validate(value);
    known.set(text, validation);
    validation.catch(() => known.delete(text));
  }
  return validation;
}

async function validate(value: object): Promise<void> {
  try {
    if (Array.isArray(value)) {
      await Promise.all(value.filter(isValidatable).map((item) => validateOrReject(item, OPTIONS)));
    } else {
      await validateOrReject(value, OPTIONS);
    }
  } catch (error) {
    throw new ArgumentValidationError(error as ValidationError[]);
  }
}
