import { AwsServiceError, invalidParameterValue } from './aws-error';
import type { QueryParams } from './query-params';

/**
 * Reads one request's input whatever the wire format: AWS JSON (`{"A":{"B":[...]}}`) and the
 * query protocol (`A.B.member.1=...`) carry the same shapes, so one parser serves both.
 */
export interface RequestReader {
  string(name: string): string | undefined;
  number(name: string): number | undefined;
  boolean(name: string): boolean | undefined;
  /** A timestamp, in epoch milliseconds. */
  time(name: string): number | undefined;
  strings(name: string): string[] | undefined;
  structs(name: string): RequestReader[] | undefined;
  struct(name: string): RequestReader | undefined;
}

export class JsonReader implements RequestReader {
  /** Reads a request body; anything but a JSON object is the protocol's SerializationException. */
  static parse(body: string): JsonReader {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body === '' ? '{}' : body);
    } catch {
      throw new AwsServiceError('SerializationException', 'The request body is not valid JSON.');
    }
    if (!isRecord(parsed)) {
      throw new AwsServiceError(
        'SerializationException',
        'The request body must be a JSON object.',
      );
    }
    return new JsonReader(parsed);
  }

  constructor(
    private readonly data: Readonly<Record<string, unknown>>,
    private readonly path = '',
  ) {}

  string(name: string): string | undefined {
    return this.read(name, (value) => (typeof value === 'string' ? value : undefined), 'a string');
  }

  number(name: string): number | undefined {
    return this.read(name, (value) => (typeof value === 'number' ? value : undefined), 'a number');
  }

  boolean(name: string): boolean | undefined {
    return this.read(
      name,
      (value) => (typeof value === 'boolean' ? value : undefined),
      'a boolean',
    );
  }

  time(name: string): number | undefined {
    return this.read(name, parseTime, 'a timestamp');
  }

  strings(name: string): string[] | undefined {
    return this.read(
      name,
      (value) => (Array.isArray(value) && value.every(isString) ? value : undefined),
      'a list of strings',
    );
  }

  structs(name: string): RequestReader[] | undefined {
    return this.read(
      name,
      (value) =>
        Array.isArray(value) && value.every(isRecord)
          ? value.map((entry, index) => new JsonReader(entry, `${this.path}${name}.${index + 1}.`))
          : undefined,
      'a list of structures',
    );
  }

  struct(name: string): RequestReader | undefined {
    return this.read(
      name,
      (value) => (isRecord(value) ? new JsonReader(value, `${this.path}${name}.`) : undefined),
      'a structure',
    );
  }

  private read<T>(
    name: string,
    convert: (value: unknown) => T | undefined,
    expected: string,
  ): T | undefined {
    const value = this.data[name];
    if (value === undefined || value === null) {
      return undefined;
    }
    const converted = convert(value);
    if (converted === undefined) {
      throw invalidParameterValue(`The parameter ${this.path}${name} must be ${expected}.`);
    }
    return converted;
  }
}

export class QueryReader implements RequestReader {
  constructor(
    private readonly params: QueryParams,
    private readonly path = '',
  ) {}

  string(name: string): string | undefined {
    return this.params.string(name);
  }

  number(name: string): number | undefined {
    return this.convert(
      name,
      (text) => (text.trim() === '' ? Number.NaN : Number(text)),
      'a number',
    );
  }

  boolean(name: string): boolean | undefined {
    return this.convert(
      name,
      (text) => (text === 'true' ? true : text === 'false' ? false : undefined),
      'true or false',
    );
  }

  time(name: string): number | undefined {
    return this.convert(name, parseTime, 'a timestamp');
  }

  strings(name: string): string[] | undefined {
    const values = this.params.list(`${name}.member`);
    return values.length > 0 ? values : undefined;
  }

  structs(name: string): RequestReader[] | undefined {
    const groups = this.params.structList(`${name}.member`);
    return groups.length > 0
      ? groups.map(
          (group, index) => new QueryReader(group, `${this.path}${name}.member.${index + 1}.`),
        )
      : undefined;
  }

  struct(name: string): RequestReader | undefined {
    const nested = this.params.struct(name);
    return nested.isEmpty ? undefined : new QueryReader(nested, `${this.path}${name}.`);
  }

  private convert<T>(
    name: string,
    parse: (text: string) => T | undefined,
    expected: string,
  ): T | undefined {
    const text = this.params.string(name);
    if (text === undefined) {
      return undefined;
    }
    const value = parse(text);
    if (value === undefined || (typeof value === 'number' && Number.isNaN(value))) {
      throw invalidParameterValue(`The parameter ${this.path}${name} must be ${expected}.`);
    }
    return value;
  }
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Epoch seconds (what the JSON protocol sends) or an ISO 8601 string (the query protocol's). */
function parseTime(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value * 1000;
  }
  if (typeof value === 'string') {
    const asNumber = Number(value);
    const parsed =
      value.trim() !== '' && Number.isFinite(asNumber) ? asNumber * 1000 : Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}
