import { apiKey, setApiKey } from '../api/session';
import { linkState } from '../api/live';
import { route } from '../route';
import { canAct, phase, stop, syncError, type Viewer } from '../state/sync';
import { AlertsPanel } from './AlertsPanel';
import { DiscoverButton } from './DiscoverDialog';
import { FleetFilters, SummaryCounters } from './FleetControls';
import { KeyPrompt } from './KeyPrompt';
import { SilenceDialogHost } from './SilenceDialog';
import { SilencesPanel } from './SilencesPanel';
import { WorkerDetail } from './WorkerDetail';
import { WorkerList } from './WorkerList';

const LINK_LABEL = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
} as const;

function LiveIndicator() {
  const state = linkState.value;
  return (
    <span class={`link link-${state}`} role="status" data-link={state}>
      <span class="dot" aria-hidden="true" />
      {LINK_LABEL[state]}
    </span>
  );
}

function Identity({ viewer }: { viewer: Viewer }) {
  if (!viewer.authenticationEnabled) {
    return null;
  }
  return (
    <span class="identity">
      {viewer.name} ({canAct(viewer) ? 'operator' : 'viewer'})
      {apiKey.value !== null && (
        <button
          type="button"
          class="link-button"
          onClick={() => {
            stop();
            setApiKey(null);
            window.location.reload();
          }}
        >
          Sign out
        </button>
      )}
    </span>
  );
}

function Body() {
  const current = phase.value;
  switch (current.kind) {
    case 'loading':
      return <p class="muted">Loading…</p>;
    case 'needs-key':
      return <KeyPrompt refused={current.refused} />;
    case 'failed':
      return (
        <p class="error" role="alert">
          The service could not be asked: {current.message}
        </p>
      );
    case 'ready': {
      const operator = canAct(current.viewer);
      const page = route.value;
      return page.page === 'worker' ? (
        <WorkerDetail workerId={page.workerId} canAct={operator} />
      ) : (
        <div class="fleet">
          <div class="fleet-main">
            <div class="fleet-top">
              <SummaryCounters />
              {operator && <DiscoverButton />}
            </div>
            <FleetFilters />
            <WorkerList />
          </div>
          <div class="fleet-side">
            <AlertsPanel canAct={operator} />
            <SilencesPanel canAct={operator} />
          </div>
        </div>
      );
    }
  }
}

export function App() {
  const current = phase.value;
  return (
    <>
      <header class="top">
        <h1>
          <a href="#/">CML worker fleet</a>
        </h1>
        {current.kind === 'ready' && <LiveIndicator />}
        {current.kind === 'ready' && <Identity viewer={current.viewer} />}
        <a class="graphiql" href="/graphql">
          GraphiQL
        </a>
      </header>
      <main>
        {syncError.value && (
          <p class="error banner" role="alert">
            {syncError.value}
          </p>
        )}
        <Body />
        {current.kind === 'ready' && canAct(current.viewer) && <SilenceDialogHost />}
      </main>
    </>
  );
}
