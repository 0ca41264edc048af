import {
  dashboard,
  PROMETHEUS_DIR,
  promtool,
  RULES_FILE,
  ruleFile,
  withGrafanaVariables,
} from '../support/promtool';

const recordingNamesIn = (expr: string) => expr.match(/\bcwm:[a-z0-9_:]+/g) ?? [];

describe('Prometheus rules', () => {
  it('should pass promtool check rules', () => {
    const { status, output } = promtool(['check', 'rules', RULES_FILE]);

    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it("should pass the rules' unit tests (promtool test rules)", () => {
    const { status, output } = promtool(['test', 'rules', 'rules.test.yml'], {
      cwd: PROMETHEUS_DIR,
    });

    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('should give every alert a severity, a summary and a runbook', () => {
    const alerts = ruleFile()
      .groups.flatMap((group) => group.rules)
      .filter((rule) => rule.alert !== undefined);

    expect(alerts.map((alert) => alert.alert)).toEqual([
      'CwmServiceDown',
      'CwmPollsOverdue',
      'CwmAwsThrottling',
      'CwmNotificationDeliveriesFailing',
      'CwmCmlUnavailableFleetWide',
    ]);
    for (const alert of alerts) {
      expect(alert).toMatchObject({
        labels: { severity: expect.stringMatching(/^(critical|warning)$/) },
        annotations: { summary: expect.any(String), runbook: expect.any(String) },
      });
    }
  });

  it('should only read recorded series that a rule records', () => {
    const rules = ruleFile().groups.flatMap((group) => group.rules);
    const recorded = new Set(rules.map((rule) => rule.record).filter(Boolean));
    const read = [
      ...rules.flatMap((rule) => recordingNamesIn(rule.expr)),
      ...dashboard().panels.flatMap((panel) =>
        (panel.targets ?? []).flatMap((target) =>
          recordingNamesIn(withGrafanaVariables(target.expr)),
        ),
      ),
    ];

    expect(read.length).toBeGreaterThan(0);
    expect(read.filter((name) => !recorded.has(name))).toEqual([]);
  });
});
