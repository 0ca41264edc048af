import { linkState } from '../api/live';
import { apiKey, setApiKey } from '../api/session';
import { now } from '../clock';
import { age, plural } from '../format';
import { route } from '../route';
import { healthOf, monitoring, type Health, type MonitoringLook } from '../state/monitoring';
import { notice } from '../state/notice';
import { canAct, phase, stop, syncError, type Viewer } from '../state/sync';
import { AlertsPanel } from './AlertsPanel';
import { AuditPage } from './AuditPage';
import { CreateWorkerButton } from './CreateWorkerDialog';
import { DiscoverButton } from './DiscoverDialog';
import { FleetFilters, SummaryCounters } from './FleetControls';
import { KeyPrompt } from './KeyPrompt';
import { SilenceDialogHost } from './SilenceDialog';
import { SilencesPanel } from './SilencesPanel';
import { WorkerDetail } from './WorkerDetail';
import { WorkerList } from './WorkerList';

const HEALTH_LABEL: Record<Health, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  'monitoring-off': 'Monitoring off',
  'polls-overdue': 'Polls overdue',
};

function lastCycleText(look: MonitoringLook | null, at: number): string {
  const finishedAt = look?.status.lastCycle?.finishedAt;
  return finishedAt
    ? `this process last finished a poll cycle ${age(finishedAt, at)}`
    : 'this process has finished no poll cycle';
}

/** The longer story, for the indicator's title. */
function healthDetail(state: Health, look: MonitoringLook | null, at: number): string {
  switch (state) {
    case 'connecting':
      return 'Opening the live connection';
    case 'reconnecting':
      return 'The live connection dropped: no event arrives until it is back';
    case 'monitoring-off':
      return 'WORKER_MONITORING_ENABLED=false: no worker is polled on a schedule; Refresh still polls one';
    case 'polls-overdue':
      return `${plural(look?.status.jobs.overdue ?? 0, 'poll job')} past due that no process has claimed; ${lastCycleText(look, at)}`;
    case 'live':
      return `Events arrive as they happen; workers are polled every ${look?.status.pollIntervalSeconds ?? '?'} s`;
  }
}

/** "Live" only while events flow and polls run on time. */
function HealthIndicator() {
  const state = healthOf(linkState.value, monitoring.value);
  return (
    <span
      class={`link link-${state}`}
      role="status"
      data-link={state}
      title={healthDetail(state, monitoring.value, now.value)}
    >
      <span class="dot" aria-hidden="true" />
      {HEALTH_LABEL[state]}
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
      if (page.page === 'audit') {
        return <AuditPage filter={page.filter} canRead={operator} />;
      }
      return page.page === 'worker' ? (
        <WorkerDetail workerId={page.workerId} canAct={operator} />
      ) : (
        <div class="fleet">
          <div class="fleet-main">
            <div class="fleet-top">
              <SummaryCounters />
              {operator && (
                <div class="fleet-actions">
                  <CreateWorkerButton />
                  <DiscoverButton />
                </div>
              )}
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
        {current.kind === 'ready' && <HealthIndicator />}
        {current.kind === 'ready' && <Identity viewer={current.viewer} />}
        {current.kind === 'ready' && canAct(current.viewer) && (
          <a href="#/audit" aria-current={route.value.page === 'audit' ? 'page' : undefined}>
            Audit
          </a>
        )}
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
        <p class="notice" role="status">
          {notice.value}
        </p>
        <Body />
        {current.kind === 'ready' && canAct(current.viewer) && <SilenceDialogHost />}
      </main>
    </>
  );
}
