/** The first tab stop: straight to the token area (its heading takes focus). */
export function SkipLink() {
  return (
    <a className="skip-link" href="#token-heading">
      Skip to tokens
    </a>
  );
}
