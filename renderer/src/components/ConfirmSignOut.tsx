import { useId, useLayoutEffect, useRef, useState } from 'react';

/**
 * Asks inline, with focus on the safe choice so Enter does not sign out by accident; Escape cancels.
 * With `idpHost`, also offers to end the identity provider's session in the sign-in window (off by
 * default): removing an account alone leaves the IdP's session cookie, so the next sign-in is silent.
 */
export function ConfirmSignOut({
  question,
  confirmText,
  idpHost,
  onConfirm,
  onCancel,
}: {
  question: string;
  confirmText: string;
  idpHost?: string;
  onConfirm: (options: { endIdpSession: boolean }) => void;
  onCancel: () => void;
}) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [endIdpSession, setEndIdpSession] = useState(false);
  const checkboxId = useId();
  useLayoutEffect(() => cancelRef.current?.focus(), []); // with the render, as App's focus requests
  return (
    <div
      className="confirm"
      role="group"
      aria-label={question}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        onCancel();
      }}
    >
      <span>{question}</span>
      {idpHost && (
        <label className="confirm-option" htmlFor={checkboxId}>
          <input id={checkboxId} type="checkbox" checked={endIdpSession} onChange={(e) => setEndIdpSession(e.target.checked)} />
          {` Also sign out of ${idpHost} in the sign-in window`}
        </label>
      )}
      <button type="button" className="button-danger" onClick={() => onConfirm({ endIdpSession: idpHost ? endIdpSession : false })}>
        {confirmText}
      </button>
      <button type="button" ref={cancelRef} className="button-secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
