import path from 'node:path';
import { Router } from 'express';
import { cspNonceOf } from './security-headers.middleware';

const ASSETS_PATH = '/graphiql/assets';

const packageFile = (name: string, file: string) =>
  path.join(path.dirname(require.resolve(`${name}/package.json`)), file);

/** Files the page loads, each from the package that ships it, so nothing comes from a CDN. */
const ASSETS: Record<string, string> = {
  'react.js': packageFile('react', 'umd/react.production.min.js'),
  'react-dom.js': packageFile('react-dom', 'umd/react-dom.production.min.js'),
  'graphiql.js': packageFile('graphiql', 'graphiql.min.js'),
  'graphiql.css': packageFile('graphiql', 'graphiql.min.css'),
};

/** What GraphiQL opens on: the fleet at a glance, and its samples arriving live. */
const WELCOME_OPERATIONS = `# Run "Fleet" for the workers as last polled, then "LiveMetrics" to watch every poll arrive.
# Subscriptions take an optional workerId to watch one worker only.

query Fleet {
  workers(first: 50) {
    totalCount
    edges {
      node {
        id
        name
        awsInstanceId
        status
        statusChecks { system instance }
        cpuUtilization
        memoryUtilization
        lastPolledAt
        nextPollAt
        pollError { message consecutiveFailures }
      }
    }
  }
  monitoringStatus {
    enabled
    pollIntervalSeconds
    jobs { scheduled running overdue }
  }
}

subscription LiveMetrics {
  workerMetrics {
    workerId
    status
    cpuUtilization
    memoryUtilization
    collectedAt
  }
}
`;

/** The page; `nonce` lets its inline script and style run under the Content-Security-Policy. */
const page = (nonce: string | undefined) => {
  const nonceAttribute = nonce === undefined ? '' : ` nonce="${nonce}"`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>cml-worker-monitor · GraphiQL</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${ASSETS_PATH}/graphiql.css" />
    <style${nonceAttribute}>html, body, #graphiql { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script src="${ASSETS_PATH}/react.js"></script>
    <script src="${ASSETS_PATH}/react-dom.js"></script>
    <script src="${ASSETS_PATH}/graphiql.js"></script>
    <script${nonceAttribute}>
      // Styles GraphiQL's dialogs add at run time carry this nonce too.
      window.__webpack_nonce__ = document.currentScript.nonce;
      const endpoint = new URL('/graphql', window.location.href);
      const subscriptionUrl = new URL(endpoint);
      subscriptionUrl.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
      const fetcher = GraphiQL.createFetcher({ url: endpoint.href, subscriptionUrl: subscriptionUrl.href });
      ReactDOM.createRoot(document.getElementById('graphiql')).render(
        React.createElement(GraphiQL, {
          fetcher,
          defaultEditorToolsVisibility: true,
          defaultQuery: ${JSON.stringify(WELCOME_OPERATIONS).replace(/</g, '\\u003c')},
        }),
      );
    </script>
  </body>
</html>
`;
};

/** GraphiQL for browsers that open /graphql; every other request goes on to the API. */
export function graphiqlRouter(): Router {
  const router = Router();
  router.get('/graphql', (req, res, next) => {
    if (
      req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) !==
      'text/html'
    ) {
      next();
      return;
    }
    res.type('html').send(page(cspNonceOf(res)));
  });
  for (const [name, file] of Object.entries(ASSETS)) {
    router.get(`${ASSETS_PATH}/${name}`, (_req, res) => {
      res.sendFile(file, { maxAge: '1d' });
    });
  }
  return router;
}
