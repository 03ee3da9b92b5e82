import type { ConfigSummary } from '../../../shared/views.js';

/** Which identity provider and app registration this build talks to. */
export function ConfiguredFor({ config }: { config: ConfigSummary }) {
  return (
    <dl className="configured-for">
      <dt>Authority</dt>
      <dd>
        <code className="ellipsis" title={config.authority}>{config.authority}</code>
        {config.usesLocalIdp && <span className="muted"> (the bundled local identity provider)</span>}
      </dd>
      <dt>Client ID</dt>
      <dd>
        <code>{config.clientId}</code>
      </dd>
    </dl>
  );
}
