// The tenant by name where known ("Contoso"), the GUID copyable beside it rather than read out
// character by character, and a guest's home tenant as visible text ("guest from Fabrikam").
import { useState } from 'react';
import type { AccountView } from '../../../shared/views.js';

export function TenantLabel({ account }: { account: AccountView }) {
  const [copied, setCopied] = useState(false);
  const tenant = account.tenantName ?? 'Tenant';
  const home = account.homeTenantName ?? 'another tenant';
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(account.tenantId);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <span className="tenant">
      <span className="tenant-name ellipsis" title={account.tenantId}>
        {account.tenantName ?? <code className="guid">{account.tenantId}</code>}
      </span>
      {account.isGuest && (
        <span className="badge badge-guest" title={`Home tenant ${account.homeTenantId}`}>
          guest from {home}
        </span>
      )}
      <button type="button" className="button-icon" onClick={() => void copy()} aria-label={copied ? `ID copied: ${tenant}` : `Copy ID of ${tenant}`} title={`Copy tenant ID ${account.tenantId}`}>
        ID
      </button>
    </span>
  );
}
