import { parseRoutes, routeFor, type RouteRule } from '../../src/services/notifications/routing';

const SLACK_URL = 'https://hooks.slack.com/services/T0001/B0001/slacksecrettoken';
const WEBHOOK_URL = 'https://hooks.example.com:8443/alerts?token=querysecret';

const errorsOf = (text: string): string[] => {
  const parsed = parseRoutes(text, 'routes.yaml');
  if ('errors' in parsed) {
    return parsed.errors;
  }
  throw new Error('expected the routes to be refused');
};

describe(parseRoutes.name, () => {
  it('should read a YAML file with a routes: list', () => {
    const parsed = parseRoutes(
      [
        '# Paged for what matters, mailed for the rest.',
        'routes:',
        '  - receiver: pagerduty',
        '    minSeverity: CRITICAL',
        '  - receiver: email',
        '    kinds: [IDLE, LICENSE_EXPIRING]',
        '    regions:',
        '      - eu-west-1',
        '      - us-east-1',
        `  - receiver: ${SLACK_URL}`,
      ].join('\n'),
      'routes.yaml',
    );

    expect(parsed).toEqual({
      rules: [
        { receiver: 'pagerduty', minSeverity: 'CRITICAL' },
        {
          receiver: 'email',
          kinds: ['IDLE', 'LICENSE_EXPIRING'],
          regions: ['eu-west-1', 'us-east-1'],
        },
        { receiver: SLACK_URL },
      ],
    });
  });

  it('should read JSON, a bare list as well as a routes: list, and no rules at all', () => {
    const rules = [{ receiver: 'webhook', minSeverity: 'WARNING' }];

    expect(parseRoutes(JSON.stringify(rules), 'env')).toEqual({ rules });
    expect(parseRoutes(JSON.stringify({ routes: rules }), 'env')).toEqual({ rules });
    expect(parseRoutes('{"routes": []}', 'env')).toEqual({ rules: [] });
  });

  it('should keep a URL as the URL parser spells it, so that it matches its webhook', () => {
    expect(parseRoutes('[{"receiver": "https://Hooks.Example.com"}]', 'env')).toEqual({
      rules: [{ receiver: 'https://hooks.example.com/' }],
    });
  });

  it('should list every problem of every rule with its place, prefixed by the origin', () => {
    const errors = errorsOf(
      [
        'routes:',
        '  - receiver: webhook',
        '    kinds: [CPU_HIGH, CPU, CPU_HIGH]',
        '    minSeverity: warning',
        '    severity: CRITICAL',
        '  - receiver: pagerdty',
        '    regions: us-east-1',
        '  - receiver: webhook',
        '    regions: [eu-west-1, us-east1, 5]',
        '  - minSeverity: INFO',
        '    kinds: []',
        '  - email',
      ].join('\n'),
    );

    expect(errors).toEqual([
      'routes.yaml: routes[0]: unknown key "severity" (the keys are receiver, minSeverity, kinds, regions)',
      'routes.yaml: routes[0].minSeverity: "warning" is not a severity (one of INFO, WARNING, CRITICAL)',
      'routes.yaml: routes[0].kinds[1]: "CPU" is not an alert kind (one of CPU_HIGH, MEMORY_HIGH, STOPPED_UNEXPECTEDLY, TERMINATED, STATUS_CHECK_FAILED, IDLE, CML_UNAVAILABLE, LICENSE_INVALID, LICENSE_EXPIRING)',
      'routes.yaml: routes[0].kinds[2]: "CPU_HIGH" is listed already',
      'routes.yaml: routes[1].receiver: "pagerdty" is not a receiver (webhook, slack, pagerduty, opsgenie, email, or a URL of WORKER_NOTIFICATION_WEBHOOKS)',
      'routes.yaml: routes[1].regions: expected a list, each item an AWS region (such as eu-west-1)',
      'routes.yaml: routes[2].receiver: "webhook" has a rule already (routes[0])',
      'routes.yaml: routes[2].regions[1]: "us-east1" is not an AWS region (such as eu-west-1)',
      'routes.yaml: routes[2].regions[2]: 5 is not an AWS region (such as eu-west-1)',
      'routes.yaml: routes[3].receiver: missing (webhook, slack, pagerduty, opsgenie, email, or a URL of WORKER_NOTIFICATION_WEBHOOKS)',
      'routes.yaml: routes[3].kinds: empty; leave it out to take every kind',
      'routes.yaml: routes[4]: expected a mapping such as { receiver: email, minSeverity: WARNING }',
    ]);
  });

  it('should refuse a document that is not a list of rules, and keys beside routes', () => {
    expect(errorsOf('receiver: email')).toEqual([
      'routes.yaml: unknown key "receiver" (the top level holds routes: only)',
      'routes.yaml: routes: expected a list of routes',
    ]);
    expect(errorsOf('routes:')).toEqual(['routes.yaml: routes: expected a list of routes']);
    expect(errorsOf('')).toEqual([
      'routes.yaml: expected a list of routes, or a mapping with routes: (that list)',
    ]);
    expect(errorsOf('"email"')).toEqual([
      'routes.yaml: expected a list of routes, or a mapping with routes: (that list)',
    ]);
  });

  it('should tell where the text is not YAML', () => {
    expect(errorsOf('routes:\n  - receiver: email\n  - receiver: [slack\n')).toEqual([
      expect.stringMatching(/^routes\.yaml: not YAML or JSON at line 4, column 1: /),
    ]);
    expect(errorsOf('{"routes": [], "routes": []}')).toEqual([
      'routes.yaml: not YAML or JSON at line 1, column 16: Map keys must be unique',
    ]);
  });

  it('should refuse one webhook named twice, however spelled, without showing its URL', () => {
    const errors = errorsOf(
      JSON.stringify([
        { receiver: SLACK_URL },
        { receiver: SLACK_URL.replace('hooks.slack.com', 'HOOKS.slack.com') },
      ]),
    );

    expect(errors).toEqual([
      'routes.yaml: routes[1].receiver: this webhook URL has a rule already (routes[0])',
    ]);
  });

  it('should never show a receiver that may be a URL, or a key that may be one', () => {
    const errors = errorsOf(
      JSON.stringify([
        { receiver: 'hooks.slack.com/services/T0001/B0001/slacksecrettoken' },
        { receiver: 'ftp://user:passwordsecret@example.net/hook' },
        { receiver: 'email', [WEBHOOK_URL]: true },
        { receiver: 'slack', kinds: [WEBHOOK_URL] },
      ]),
    );

    expect(errors).toEqual([
      'routes.yaml: routes[0].receiver: this text is not a receiver (webhook, slack, pagerduty, opsgenie, email, or a URL of WORKER_NOTIFICATION_WEBHOOKS)',
      'routes.yaml: routes[1].receiver: this text is not a receiver (webhook, slack, pagerduty, opsgenie, email, or a URL of WORKER_NOTIFICATION_WEBHOOKS)',
      'routes.yaml: routes[2]: an unknown key (the keys are receiver, minSeverity, kinds, regions)',
      expect.stringMatching(
        /^routes\.yaml: routes\[3\]\.kinds\[0\]: this text is not an alert kind/,
      ),
    ]);
    for (const secret of ['slacksecrettoken', 'passwordsecret', 'querysecret']) {
      expect(errors.join('\n')).not.toContain(secret);
    }
  });
});

describe(routeFor.name, () => {
  const webhook = { kind: 'CLOUDEVENTS', url: WEBHOOK_URL } as const;
  const slack = { kind: 'SLACK', url: SLACK_URL } as const;

  it('should let every receiver take every alert, PagerDuty and Opsgenie only from WARNING up', () => {
    const routeOf = (kind: 'CLOUDEVENTS' | 'SLACK' | 'PAGERDUTY' | 'OPSGENIE' | 'EMAIL') =>
      routeFor({ kind, url: 'https://example.org/' }, []);

    expect(routeOf('CLOUDEVENTS')).toEqual({ minSeverity: 'INFO', kinds: null, regions: null });
    expect(routeOf('SLACK')).toEqual({ minSeverity: 'INFO', kinds: null, regions: null });
    expect(routeOf('EMAIL')).toEqual({ minSeverity: 'INFO', kinds: null, regions: null });
    expect(routeOf('PAGERDUTY')).toEqual({ minSeverity: 'WARNING', kinds: null, regions: null });
    expect(routeOf('OPSGENIE')).toEqual({ minSeverity: 'WARNING', kinds: null, regions: null });
  });

  it("should apply a webhook's own rule before its kind's, whole, the rest taking the defaults", () => {
    const rules: RouteRule[] = [
      { receiver: 'webhook', minSeverity: 'CRITICAL', kinds: ['IDLE'] },
      { receiver: WEBHOOK_URL, regions: ['eu-west-1'] },
    ];

    expect(routeFor(webhook, rules)).toEqual({
      minSeverity: 'INFO',
      kinds: null,
      regions: ['eu-west-1'],
    });
    expect(routeFor({ kind: 'CLOUDEVENTS', url: 'https://other.example.com/' }, rules)).toEqual({
      minSeverity: 'CRITICAL',
      kinds: ['IDLE'],
      regions: null,
    });
  });

  it('should match a webhook however its rule spells the URL', () => {
    const route = routeFor({ kind: 'CLOUDEVENTS', url: 'https://hooks.example.com/' }, [
      { receiver: 'https://HOOKS.example.com', minSeverity: 'WARNING' },
    ]);

    expect(route.minSeverity).toBe('WARNING');
  });

  it('should route Slack webhooks by slack, CloudEvents webhooks by webhook', () => {
    const rules: RouteRule[] = [
      { receiver: 'webhook', kinds: ['CPU_HIGH'] },
      { receiver: 'slack', kinds: ['IDLE'] },
    ];

    expect(routeFor(slack, rules).kinds).toEqual(['IDLE']);
    expect(routeFor(webhook, rules).kinds).toEqual(['CPU_HIGH']);
  });

  it('should apply URL rules to webhooks only', () => {
    const eventsUrl = 'https://events.pagerduty.com/v2/enqueue';
    const route = routeFor({ kind: 'PAGERDUTY', url: eventsUrl }, [
      { receiver: eventsUrl, minSeverity: 'INFO' },
      { receiver: 'pagerduty', kinds: ['TERMINATED'] },
    ]);

    expect(route).toEqual({ minSeverity: 'WARNING', kinds: ['TERMINATED'], regions: null });
  });
});
