import type { ComponentChildren } from 'preact';
import { now } from '../clock';
import { age, dateTime, humanize, relative } from '../format';
import {
  cmlCheckedAt,
  labsInOrder,
  labsSummary,
  licenseStanding,
  type License,
  type LicenseStanding,
} from '../state/cml';
import type { DetailWorker } from '../state/detail';
import { firingByWorker, type WorkerView } from '../state/fleet';
import { CmlBadge } from './StatusBadge';

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const yesNo = (value: boolean | null) => (value === null ? '—' : value ? 'yes' : 'no');

/** What needs saying about a license that is not simply valid; a valid one needs no flag. */
function LicenseFlag({
  standing,
  expiresAt,
}: {
  standing: LicenseStanding;
  expiresAt: string | null;
}) {
  switch (standing) {
    case 'invalid':
      return (
        <p class="license-flag flag-bad">Not valid: CML is not registered, or out of compliance.</p>
      );
    case 'expired':
      return <p class="license-flag flag-bad">Expired {expiresAt && age(expiresAt, now.value)}.</p>;
    case 'expiring':
      return (
        <p class="license-flag flag-warm">
          Expires {expiresAt && relative(expiresAt, now.value)}: renew it before labs stop.
        </p>
      );
    case 'valid':
    case 'unknown':
      return null;
  }
}

function LicenseFacts({
  license,
  standing,
}: {
  license: License | null;
  standing: LicenseStanding;
}) {
  return (
    <section aria-labelledby="license-heading" class="license" data-license={standing}>
      <h4 id="license-heading">License</h4>
      <LicenseFlag standing={standing} expiresAt={license?.expiresAt ?? null} />
      {license ? (
        <dl class="facts">
          <Fact label="Registration">{license.registrationStatus ?? '—'}</Fact>
          <Fact label="Authorization">{license.authorizationStatus ?? '—'}</Fact>
          <Fact label="Expires">
            {license.expiresAt ? (
              <time dateTime={license.expiresAt} title={dateTime(license.expiresAt)}>
                {new Date(license.expiresAt).toLocaleDateString()} (
                {relative(license.expiresAt, now.value)})
              </time>
            ) : (
              '—'
            )}
          </Fact>
          <Fact label="Valid">
            <span class={license.valid ? 'flag-ok' : 'flag-bad'}>{yesNo(license.valid)}</span>
          </Fact>
        </dl>
      ) : (
        <p class="muted">Not read yet.</p>
      )}
    </section>
  );
}

function Labs({ worker, fetched }: { worker: WorkerView; fetched: DetailWorker }) {
  const labs = labsInOrder(fetched.labs);
  const total = fetched.cml.labsTotal ?? labs.length;
  const empty =
    worker.cml.status === 'NOT_APPLICABLE'
      ? 'No lab known: the instance is not running.'
      : fetched.cml.checkedAt === null
        ? 'CML has not been asked yet.'
        : 'No labs on this controller.';
  return (
    <section aria-labelledby="labs-heading">
      <h4 id="labs-heading">
        Labs ({labs.length}
        {total > labs.length ? ` of ${total}` : ''})
      </h4>
      {labs.length === 0 ? (
        <p class="muted" data-labs-empty>
          {empty}
        </p>
      ) : (
        <table class="labs-table">
          <caption class="visually-hidden">Labs on {worker.name}, running ones first</caption>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">State</th>
              <th scope="col">Running</th>
              <th scope="col">Owner</th>
              <th scope="col">Nodes</th>
              <th scope="col">Modified</th>
            </tr>
          </thead>
          <tbody>
            {labs.map((lab) => (
              <tr key={lab.id} data-lab-running={lab.running ? 'true' : 'false'}>
                <th scope="row">{lab.title}</th>
                <td>{humanize(lab.state)}</td>
                <td>{yesNo(lab.running)}</td>
                <td>{lab.owner ?? '—'}</td>
                <td>{lab.nodeCount}</td>
                <td title={dateTime(lab.modifiedAt)}>
                  {lab.modifiedAt ? age(lab.modifiedAt, now.value) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * The worker's CML controller: its status and running counts follow the live samples; the
 * version, license and labs are as last fetched, fetched again when the samples show a change.
 */
export function CmlSection({ worker, fetched }: { worker: WorkerView; fetched: DetailWorker }) {
  const { cml } = fetched;
  const live = worker.cml;
  const checkedAt = cmlCheckedAt(live, worker.lastPolledAt, cml.checkedAt);
  const expiring = (firingByWorker.value.get(worker.id) ?? []).some(
    (alert) => alert.kind === 'LICENSE_EXPIRING',
  );
  const standing = licenseStanding(cml.license, expiring, now.value);
  return (
    <section class="cml-section" aria-labelledby="cml-heading">
      <h3 id="cml-heading">CML</h3>
      <div class="cml-columns">
        <div>
          <dl class="facts">
            <Fact label="Endpoint">
              <span class="mono">{fetched.cmlEndpoint ?? '—'}</span>
            </Fact>
            <Fact label="Status">
              <CmlBadge cml={live} />
            </Fact>
            <Fact label="Version">{cml.version ?? '—'}</Fact>
            <Fact label="Ready">{yesNo(cml.ready)}</Fact>
            <Fact label="Checked">
              <span title={dateTime(checkedAt)}>{age(checkedAt, now.value)}</span>
            </Fact>
            <Fact label="Running">{labsSummary(live)}</Fact>
            <Fact label="In all">
              {labsSummary({ labsRunning: cml.labsTotal, nodesRunning: cml.nodesTotal })}
            </Fact>
            <Fact label="Credentials">
              {fetched.hasOwnCmlCredentials ? 'its own' : 'the fleet’s'}
            </Fact>
          </dl>
          {live.error && <p class="error">CML: {live.error}</p>}
          <LicenseFacts license={cml.license} standing={standing} />
        </div>
        <Labs worker={worker} fetched={fetched} />
      </div>
    </section>
  );
}
