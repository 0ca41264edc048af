import {
  getNamedType,
  type GraphQLInputType,
  type GraphQLSchema,
  isInputObjectType,
} from 'graphql';
import { buildAppSchema } from '../../src/schema/build-schema';
import {
  DEPTH_MAX,
  isSecretKey,
  LIST_ITEMS_MAX,
  SECRET_MARK,
  STRING_MAX_LENGTH,
  summarizeArguments,
  SUMMARY_MAX_LENGTH,
} from '../../src/services/audit/audit-summary';
import { InProcessPubSub } from '../../src/services/pubsub/in-process.pub-sub';
import { SeededRandom } from '../support/seeded-random';

const SECRET = 'hunter2-S3CRET-value';

describe(summarizeArguments.name, () => {
  describe('the format', () => {
    it('should write the arguments as GraphQL does, nested inputs in braces', () => {
      expect(
        summarizeArguments({
          id: '6f1c2d4e-0000-4000-8000-000000000001',
          input: { name: 'w-01', thresholds: { cpu: 80, memory: 95.5 }, monitoringEnabled: false },
        }),
      ).toBe(
        'id: "6f1c2d4e-0000-4000-8000-000000000001", input: {name: "w-01", thresholds: {cpu: 80, memory: 95.5}, monitoringEnabled: false}',
      );
    });

    it('should say nothing of a mutation without arguments', () => {
      expect(summarizeArguments({})).toBe('');
    });

    it('should leave out what was not given and show null for what was given as null', () => {
      expect(summarizeArguments({ input: { name: undefined, cmlEndpoint: null } })).toBe(
        'input: {cmlEndpoint: null}',
      );
    });

    it('should write dates as ISO strings, lists in brackets and enum values as strings', () => {
      expect(
        summarizeArguments({
          input: {
            endsAt: new Date('2026-12-01T10:00:00.000Z'),
            matchers: { kinds: ['CPU_HIGH', 'IDLE'], severities: [] },
          },
        }),
      ).toBe(
        'input: {endsAt: "2026-12-01T10:00:00.000Z", matchers: {kinds: ["CPU_HIGH", "IDLE"], severities: []}}',
      );
    });

    it('should escape quotes and line breaks, so one record stays one line', () => {
      expect(summarizeArguments({ comment: 'say "hi"\nthen leave' })).toBe(
        'comment: "say \\"hi\\"\\nthen leave"',
      );
    });

    it('should work on the null-prototype objects graphql-js may hand a resolver', () => {
      const input = Object.assign(Object.create(null) as Record<string, unknown>, { name: 'w' });

      expect(summarizeArguments({ input })).toBe('input: {name: "w"}');
    });
  });

  describe('secrets', () => {
    const secretKeys = [
      'password',
      'Password',
      'PASSWORD',
      'cmlPassword',
      'passwd',
      'pwd',
      'passphrase',
      'secret',
      'clientSecret',
      'webhookSecret',
      'token',
      'accessToken',
      'refresh_token',
      'X-Auth-Token',
      'authorization',
      'Authorization',
      'basicAuth',
      'credentials',
      'cmlCredentials',
      'credential',
      'cookie',
      'sessionId',
      'signature',
      'key',
      'apiKey',
      'api_key',
      'API-KEY',
      'apiKeys',
      'privateKey',
      'routingKey',
      'credentialsKey',
    ];

    it.each(secretKeys)('should leave out the value of %s, whatever its type', (key) => {
      for (const value of [SECRET, { username: 'admin', password: SECRET }, [SECRET], 1234]) {
        const summary = summarizeArguments({ input: { name: 'w', [key]: value } });

        expect(summary).toBe(`input: {name: "w", ${key}: ${SECRET_MARK}}`);
      }
    });

    it('should leave out a secret given as a top-level argument', () => {
      expect(summarizeArguments({ id: 'x', apiKey: SECRET })).toBe(
        `id: "x", apiKey: ${SECRET_MARK}`,
      );
    });

    it.each(['name', 'keyName', 'username', 'awsInstanceId', 'comment', 'monitoringEnabled'])(
      'should show %s, which holds no secret',
      (key) => {
        expect(isSecretKey(key)).toBe(false);
        expect(summarizeArguments({ [key]: 'shown' })).toBe(`${key}: "shown"`);
      },
    );

    it('should show a secret cleared with null as null: the clearing is no secret', () => {
      expect(summarizeArguments({ input: { cmlCredentials: null } })).toBe(
        'input: {cmlCredentials: null}',
      );
    });

    it('should leave out secrets in every item of a list and at every depth', () => {
      const summary = summarizeArguments({
        inputs: [
          { awsInstanceId: 'i-1', cmlCredentials: { username: 'a', password: SECRET } },
          { awsInstanceId: 'i-2', nested: { deeper: { token: SECRET } } },
        ],
      });

      expect(summary).not.toContain(SECRET);
      expect(summary).toBe(
        `inputs: [{awsInstanceId: "i-1", cmlCredentials: ${SECRET_MARK}}, {awsInstanceId: "i-2", nested: {deeper: {token: ${SECRET_MARK}}}}]`,
      );
    });

    it('should leave out bearer and basic credentials and JWTs under any key', () => {
      const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvcGVyYXRvciJ9.c2lnbmF0dXJlLWJ5dGVz';

      expect(
        summarizeArguments({ note: `Bearer ${SECRET}`, other: 'basic dXNlcjpwYXNz', comment: jwt }),
      ).toBe(`note: ${SECRET_MARK}, other: ${SECRET_MARK}, comment: ${SECRET_MARK}`);
    });

    it('should leave out password=… and token: … pairs inside free text', () => {
      const summary = summarizeArguments({
        comment: `rotated, password=${SECRET} and token: ${SECRET}; api_key="${SECRET} x"`,
      });

      expect(summary).not.toContain(SECRET);
      expect(summary).toBe(
        `comment: "rotated, password=${SECRET_MARK} and token: ${SECRET_MARK}; api_key=${SECRET_MARK}"`,
      );
    });
  });

  describe('URLs', () => {
    it.each([
      ['https://hooks.slack.com/services/T000/B000/XXXXXXXX', 'https://hooks.slack.com'],
      ['https://cml-01.lab.example.com/api/v0?token=abc#frag', 'https://cml-01.lab.example.com'],
      ['https://admin:hunter2@10.0.1.5:8443/', 'https://10.0.1.5:8443'],
      ['http://10.0.1.5', 'http://10.0.1.5'],
      ['wss://events.example.org/socket/abc', 'wss://events.example.org'],
      ['postgres://cwm:hunter2@db.internal:5432/cwm', 'postgres://db.internal:5432'],
      ['HTTPS://Example.COM/Path', 'https://example.com'],
      ['https://[::1', 'https://…'],
    ])('should cut %s down to its origin', (url, origin) => {
      expect(summarizeArguments({ input: { cmlEndpoint: url } })).toBe(
        `input: {cmlEndpoint: "${origin}"}`,
      );
    });

    it('should cut every URL inside free text down to its origin', () => {
      const summary = summarizeArguments({
        comment:
          'moved from https://hooks.slack.com/services/T0/B0/SECRETPATH to https://u:p@ops.example.com/hook?k=SECRETQUERY, see ticket',
      });

      expect(summary).toBe(
        'comment: "moved from https://hooks.slack.com to https://ops.example.com, see ticket"',
      );
    });

    it('should cut a URL before a long string is cut, so no part of its path remains', () => {
      const url = `https://hooks.example.com/${'p'.repeat(60)}/${SECRET}`;

      const summary = summarizeArguments({ comment: `${'x'.repeat(40)} ${url}` });

      expect(summary).toBe(`comment: "${'x'.repeat(40)} https://hooks.example.com"`);
    });
  });

  describe('length', () => {
    it(`should cut a string longer than ${STRING_MAX_LENGTH} characters, saying so`, () => {
      const summary = summarizeArguments({ comment: 'a'.repeat(STRING_MAX_LENGTH + 1) });

      expect(summary).toBe(`comment: "${'a'.repeat(STRING_MAX_LENGTH - 1)}…"`);
    });

    it(`should keep a string of exactly ${STRING_MAX_LENGTH} characters whole`, () => {
      const text = 'b'.repeat(STRING_MAX_LENGTH);

      expect(summarizeArguments({ comment: text })).toBe(`comment: "${text}"`);
    });

    it('should not split a character made of two UTF-16 units', () => {
      const summary = summarizeArguments({ comment: '🚀'.repeat(STRING_MAX_LENGTH + 5) });

      expect(summary).toBe(`comment: "${'🚀'.repeat(STRING_MAX_LENGTH - 1)}…"`);
    });

    it(`should show the first ${LIST_ITEMS_MAX} items of a list and count the rest`, () => {
      const ids = Array.from({ length: LIST_ITEMS_MAX + 3 }, (_, index) => `w${index}`);

      expect(summarizeArguments({ workerIds: ids })).toBe(
        `workerIds: [${ids
          .slice(0, LIST_ITEMS_MAX)
          .map((id) => `"${id}"`)
          .join(', ')}, … 3 more]`,
      );
    });

    it(`should elide values nested deeper than ${DEPTH_MAX} levels`, () => {
      expect(summarizeArguments({ a: { b: { c: { d: { e: { f: 1 } } } } } })).toBe(
        'a: {b: {c: {d: {e: {…}}}}}',
      );
      expect(summarizeArguments({ a: [[[[[1]]]]] })).toBe('a: [[[[[…]]]]]');
    });

    it(`should keep the whole summary to ${SUMMARY_MAX_LENGTH} characters, saying it was cut`, () => {
      const inputs = Array.from({ length: 20 }, (_, index) => ({
        awsInstanceId: `i-${String(index).padStart(17, '0')}`,
        name: 'n'.repeat(70),
      }));

      const summary = summarizeArguments({ a: inputs, b: inputs, c: inputs });

      expect(Array.from(summary)).toHaveLength(SUMMARY_MAX_LENGTH);
      expect(summary.endsWith('…')).toBe(true);
    });
  });

  it('should never show a secret, whatever the shape of the arguments (200 seeded shapes)', () => {
    const random = new SeededRandom(20261201);
    const secretKeys = ['password', 'cmlCredentials', 'apiKey', 'token', 'webhookSecret', 'key'];
    const plainKeys = ['name', 'comment', 'input', 'inputs', 'matchers', 'cmlEndpoint'];
    const pick = <T>(items: readonly T[]) => items[random.int(0, items.length - 1)];
    const secretString = () =>
      pick([
        `https://hooks.example.com/services/${SECRET}`,
        `https://admin:${SECRET}@10.0.0.1/`,
        `see https://x.example.com/?token=${SECRET} now`,
        `password=${SECRET}`,
        `Bearer ${SECRET}`,
      ]);
    const value = (depth: number): unknown => {
      const kind = depth >= 3 ? 0 : random.int(0, 3);
      if (kind === 0) {
        return secretString();
      }
      if (kind === 1) {
        return Array.from({ length: random.int(0, 4) }, () => value(depth + 1));
      }
      return Object.fromEntries(
        Array.from({ length: random.int(1, 4) }, () => {
          const key = random.int(0, 2) === 0 ? pick(secretKeys) : pick(plainKeys);
          return [key, isSecretKey(key) ? pick([SECRET, { password: SECRET }]) : value(depth + 1)];
        }),
      );
    };

    for (let shape = 0; shape < 200; shape += 1) {
      const args = { input: value(0), extra: value(1) };

      expect(summarizeArguments(args)).not.toContain(SECRET);
    }
  });

  describe('every mutation input the schema serves', () => {
    let schema: GraphQLSchema;

    beforeAll(async () => {
      const pubSub = new InProcessPubSub();
      schema = await buildAppSchema({ pubSub });
      await pubSub.close();
    });

    /**
     * Every field of every input a mutation takes, as `Type.field`, with what it holds. A new
     * field fails this test until it is listed here: if it can hold a secret, its name must say
     * so (see `isSecretKey`), or its value be a URL.
     */
    const INPUT_FIELDS: Record<string, 'plain' | 'secret' | 'url'> = {
      'CmlCredentialsInput.password': 'secret',
      'CmlCredentialsInput.username': 'plain',
      'CreateSilenceInput.comment': 'plain',
      'CreateSilenceInput.endsAt': 'plain',
      'CreateSilenceInput.matchers': 'plain',
      'CreateSilenceInput.startsAt': 'plain',
      'CreateWorkerInput.amiId': 'plain',
      'CreateWorkerInput.awsRegion': 'plain',
      'CreateWorkerInput.cmlCredentials': 'secret',
      'CreateWorkerInput.cmlEndpoint': 'url',
      'CreateWorkerInput.instanceType': 'plain',
      'CreateWorkerInput.name': 'plain',
      'CreateWorkerInput.thresholds': 'plain',
      'ImportWorkerInput.awsInstanceId': 'plain',
      'ImportWorkerInput.awsRegion': 'plain',
      'ImportWorkerInput.cmlCredentials': 'secret',
      'ImportWorkerInput.cmlEndpoint': 'url',
      'ImportWorkerInput.name': 'plain',
      'ImportWorkerInput.thresholds': 'plain',
      'SilenceMatchersInput.awsRegion': 'plain',
      'SilenceMatchersInput.kinds': 'plain',
      'SilenceMatchersInput.nameContains': 'plain',
      'SilenceMatchersInput.severities': 'plain',
      'SilenceMatchersInput.workerIds': 'plain',
      'ThresholdsInput.cpu': 'plain',
      'ThresholdsInput.memory': 'plain',
      'UpdateWorkerInput.cmlCredentials': 'secret',
      'UpdateWorkerInput.cmlEndpoint': 'url',
      'UpdateWorkerInput.monitoringEnabled': 'plain',
      'UpdateWorkerInput.name': 'plain',
      'UpdateWorkerInput.thresholds': 'plain',
    };

    /** `Type.field` of every input object field reachable from `type`, lists and non-nulls seen through. */
    const collectInputFields = (type: GraphQLInputType, fields: Set<string>, seen: Set<string>) => {
      const named = getNamedType(type);
      if (!isInputObjectType(named) || seen.has(named.name)) {
        return;
      }
      seen.add(named.name);
      for (const field of Object.values(named.getFields())) {
        fields.add(`${named.name}.${field.name}`);
        collectInputFields(field.type, fields, seen);
      }
    };

    it('should know what each of them holds', () => {
      const fields = new Set<string>();
      const seen = new Set<string>();
      for (const mutation of Object.values(schema.getMutationType()?.getFields() ?? {})) {
        mutation.args.forEach((arg) => collectInputFields(arg.type, fields, seen));
      }

      expect([...fields].sort()).toEqual(Object.keys(INPUT_FIELDS).sort());
    });

    it('should leave out the value of every field that holds a secret, and cut every URL', () => {
      for (const [path, holds] of Object.entries(INPUT_FIELDS)) {
        const field = path.split('.')[1];
        const given = holds === 'url' ? `https://cml.example.com/${SECRET}?t=${SECRET}` : SECRET;

        const summary = summarizeArguments({ input: { [field]: given } });

        if (holds === 'plain') {
          expect(summary).toContain(SECRET);
        } else {
          expect(summary).not.toContain(SECRET);
        }
      }
    });
  });
});
