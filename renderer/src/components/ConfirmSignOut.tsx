import { useEffect, useRef } from 'react';

/** Asks inline, with focus on the safe choice so Enter does not sign out by accident; Escape cancels. */
export function ConfirmSignOut({ question, confirmText, onConfirm, onCancel }: { question: string; confirmText: string; onConfirm: () => void; onCancel: () => void }) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
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
      <button type="button" className="button-danger" onClick={onConfirm}>
        {confirmText}
      </button>
      <button type="button" ref={cancelRef} className="button-secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
