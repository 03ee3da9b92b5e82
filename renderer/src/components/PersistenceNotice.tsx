import type { PersistenceView } from '../../../shared/views.js';

const STATE_NOTICE: Partial<Record<PersistenceView['state'], string>> = {
  'memory-only': 'The system keychain is not available: your sign-in is kept in memory only and ends when the app closes.',
  'read-only': 'Your saved sign-ins could be loaded but not updated: changes made now are kept until the app closes.',
  'recovered-from-corruption': 'The saved sign-in data was damaged and has been set aside; please sign in again.',
  'unsupported-format': 'The saved sign-in data was written by a newer version of this app and is left untouched; sign-ins are kept in memory only.',
  'plaintext-unsafe': 'Tokens are being saved WITHOUT encryption (unsafe development setting).',
};

/** Tells the user when their sign-in is not stored the safe, durable way. */
export function PersistenceNotice({ persistence }: { persistence: PersistenceView }) {
  const notice = STATE_NOTICE[persistence.state];
  if (!notice && persistence.warnings.length === 0) return null;
  return (
    <div className="banner banner-warning" role="status">
      <div className="banner-text">
        {notice && <p className="banner-message">{notice}</p>}
        {persistence.warnings.map((w) => (
          <p key={`${w.code}-${w.at}`} className="banner-action">
            {w.message} <code>{w.code}</code>
          </p>
        ))}
      </div>
    </div>
  );
}
