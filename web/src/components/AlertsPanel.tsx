import { firingAlerts, resolvedAlerts } from '../state/fleet';
import { AlertItem } from './AlertItem';

export function AlertsPanel({ canAct }: { canAct: boolean }) {
  const firing = firingAlerts.value;
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
            {firing.map((alert) => (
              <AlertItem key={alert.id} alert={alert} canAct={canAct} />
            ))}
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
