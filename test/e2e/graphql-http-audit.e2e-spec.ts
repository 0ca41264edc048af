import { auditServer, type AuditResult } from 'graphql-http';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The GraphQL over HTTP spec's own audit (graphql-http). Notices are left: they are about GETs
 * with form-encoded or JSON-in-URL variables, which Apollo's CSRF prevention refuses on purpose.
 */
describe('GraphQL over HTTP conformance', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('should pass every MUST and SHOULD audit of graphql-http', async () => {
    const results = await auditServer({ url: app.graphqlUrl });
    const failed = (status: AuditResult['status']) =>
      results
        .filter((result) => result.status === status)
        .map(
          (result) =>
            `${result.id} ${result.name}${'reason' in result ? `: ${result.reason}` : ''}`,
        );
    console.log(
      `graphql-http audit: ${results.length} audits, ${failed('error').length} errors, ` +
        `${failed('warn').length} warnings, ${failed('notice').length} notices`,
    );

    expect(failed('error')).toEqual([]);
    expect(failed('warn')).toEqual([]);
  });

  it('should still answer 400 to a client that accepts application/graphql-response+json', async () => {
    const response = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
      },
      body: JSON.stringify({ query: '{ workerz }' }),
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
  });
});
