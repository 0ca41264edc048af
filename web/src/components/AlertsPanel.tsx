import {
  firingEntries,
  firingGroups,
  GROUP_PAGE,
  groupHeading,
  groupPages,
  groupsOpened,
  setGroupOpen,
  showMoreOf,
  type FiringEntry,
} from '../state/alert-groups';
import { firingAlerts, resolvedAlerts } from '../state/fleet';
import { AlertItem } from './AlertItem';

function AlertGroupItem({
  entry,
  canAct,
}: {
  entry: Extract<FiringEntry, { kind: 'group' }>;
  canAct: boolean;
}) {
  const { group, open, shown, hidden } = entry;
  const heading = groupHeading(group);
  return (
    <li
      class={`alert-group group-${group.severity.toLowerCase()}`}
      data-group={group.key}
      data-group-size={group.alerts.length}
    >
      <button
        type="button"
        class="group-header"
        aria-expanded={open}
        onClick={() => setGroupOpen(group.key, !open)}
      >
        <span class="chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <span>
          {heading.title} — <strong>{heading.count}</strong>
          {heading.silenced && <span class="silenced-count"> · {heading.silenced}</span>}
        </span>
      </button>
      {open && (
        <ul class="alert-list group-alerts" aria-label={`${heading.title} alerts`}>
          {shown.map((alert) => (
            <AlertItem key={alert.id} alert={alert} canAct={canAct} />
          ))}
        </ul>
      )}
      {open && hidden > 0 && (
        <button type="button" class="secondary show-more" onClick={() => showMoreOf(group.key)}>
          Show {Math.min(GROUP_PAGE, hidden)} more of {hidden}
        </button>
      )}
    </li>
  );
}

export function AlertsPanel({ canAct }: { canAct: boolean }) {
  const firing = firingAlerts.value;
  const entries = firingEntries(firingGroups.value, groupsOpened.value, groupPages.value);
  const resolved = resolvedAlerts.value;
  return (
    <aside class="alerts-panel" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">Alerts</h2>
      <section aria-labelledby="firing-heading">
        <h3 id="firing-heading">Firing ({firing.length})</h3>
        {firing.length === 0 ? (
          <p class="muted">Nothing is firing.</p>
        ) : (
          <ul class="alert-list" aria-label="Firing alerts">
            {entries.map((entry) =>
              entry.kind === 'alert' ? (
                <AlertItem key={entry.alert.id} alert={entry.alert} canAct={canAct} />
              ) : (
                <AlertGroupItem key={entry.group.key} entry={entry} canAct={canAct} />
              ),
            )}
          </ul>
        )}
      </section>
      <section aria-labelledby="resolved-heading">
        <h3 id="resolved-heading">Recently resolved</h3>
        {resolved.length === 0 ? (
          <p class="muted">None yet.</p>
        ) : (
          <ul class="alert-list" aria-label="Resolved alerts">
            {resolved.map((alert) => (
              <AlertItem key={alert.id} alert={alert} canAct={false} />
            ))}
          </ul>
        )}
      </section>
    </aside>
  );
}
