import { checkExpressions, dashboard, withGrafanaVariables } from '../support/promtool';

describe('Grafana dashboard', () => {
  const { panels, schemaVersion, templating } = dashboard();
  const queryPanels = panels.filter((panel) => panel.type !== 'row');

  it('should ask for its Prometheus data source as a variable', () => {
    expect(schemaVersion).toBeGreaterThanOrEqual(39);
    expect(templating.list).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
        expect.objectContaining({ name: 'region', type: 'query' }),
        expect.objectContaining({ name: 'worker', type: 'query' }),
      ]),
    );
    for (const panel of queryPanels) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      panel.targets?.forEach((target) => expect(target.datasource).toEqual(panel.datasource));
    }
  });

  it('should show the fleet, the polls, AWS, alerts, deliveries and WebSocket clients', () => {
    expect(queryPanels.map((panel) => panel.title)).toEqual(
      expect.arrayContaining([
        'Fleet by status',
        'CPU per worker',
        'Memory per worker',
        'Poll cycle and batch durations',
        'AWS calls, by action and outcome',
        'AWS throttles',
        'Service alerts firing, by kind',
        'Notification deliveries, by outcome',
        'WebSocket clients',
      ]),
    );
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
  });

  it('should query with expressions that parse as PromQL', () => {
    const expressions = queryPanels.flatMap((panel) => {
      expect(panel.targets?.length).toBeGreaterThan(0);
      return (panel.targets ?? []).map((target) => withGrafanaVariables(target.expr));
    });

    const { status, output } = checkExpressions(expressions);

    expect(output).toContain(`SUCCESS: ${expressions.length} rules found`);
    expect(status).toBe(0);
  });

  it('should tell a broken expression from a good one', () => {
    const { status, output } = checkExpressions(['sum(rate(cwm_polls_total[5m])']);

    expect(status).not.toBe(0);
    expect(output).toMatch(/unclosed left parenthesis/);
  });
});
