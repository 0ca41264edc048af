import path from 'node:path';
import { Router } from 'express';
import { cspNonceOf } from './security-headers.middleware';

const ASSETS_PATH = '/graphiql/assets';

/** Files the page loads, each the file of the package that ships it, so nothing comes from a CDN. */
export const GRAPHIQL_ASSETS = {
  'react.js': { packageName: 'react', file: 'umd/react.production.min.js' },
  'react-dom.js': { packageName: 'react-dom', file: 'umd/react-dom.production.min.js' },
  'graphiql.js': { packageName: 'graphiql', file: 'graphiql.min.js' },
  'graphiql.css': { packageName: 'graphiql', file: 'graphiql.min.css' },
} as const;

/**
 * Where `npm run build` copies them, beside the compiled code (`dist/graphiql` for this file's
 * `dist/src/http`): the packages are devDependencies, which the image leaves out.
 */
export const BUILT_ASSETS_DIR = path.join(__dirname, '..', '..', 'graphiql');

/** Compiled, the build's copy; from sources (tests, ts-node), the package's own file. */
const assetFile = (name: string, source: { packageName: string; file: string }): string =>
  __filename.endsWith('.js')
    ? path.join(BUILT_ASSETS_DIR, name)
    : path.join(path.dirname(require.resolve(`${source.packageName}/package.json`)), source.file);

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
  for (const [name, source] of Object.entries(GRAPHIQL_ASSETS)) {
    const file = assetFile(name, source);
    router.get(`${ASSETS_PATH}/${name}`, (_req, res) => {
      res.sendFile(file, { maxAge: '1d' });
    });
  }
  return router;
}
