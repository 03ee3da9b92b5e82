// Device code sign-in: the code big and copyable (and focused when the panel opens), the link, a QR
// code of the link, time left, one Cancel (Escape too). When the code runs out the panel stays and
// says when it expired, with "Get a new code".
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import QRCode from 'qrcode';
import { formatClockTime, formatCountdown, describeDuration } from '../../../shared/countdown.js';
import type { DeviceCodeView } from '../../../shared/views.js';
import { useAuthApp } from '../auth-app.js';
import { useNow } from '../clock.js';
import { useStore } from '../use-app-store.js';
import { NEW_DEVICE_CODE_ID, SIGN_IN_MENU_TOGGLE_ID, useSignIn } from '../use-sign-in.js';

/** SVG rather than canvas: renders identically in Chromium and jsdom, and a data: URL fits the CSP. */
async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export function DeviceCodePanel({ deviceCode }: { deviceCode: DeviceCodeView }) {
  const api = useAuthApp();
  const { call, dispatch } = useStore();
  const signIn = useSignIn();
  const now = useNow();
  const codeRef = useRef<HTMLParagraphElement>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const link = deviceCode.verificationUriComplete ?? deviceCode.verificationUri;
  const msLeft = deviceCode.expiresOn - now;
  const expired = deviceCode.expired === true;

  useLayoutEffect(() => {
    if (!expired) codeRef.current?.focus(); // a new code: keyboard and screen reader users land on it
  }, [deviceCode.userCode, expired]);

  useEffect(() => {
    let live = true;
    qrDataUrl(link).then((url) => live && setQr(url), () => live && setQr(null));
    return () => {
      live = false;
    };
  }, [link]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(deviceCode.userCode);
      setCopied(true);
    } catch {
      setCopied(false); // The code stays selectable: the user can copy it by hand.
    }
  };
  const close = async () => {
    await call(api.cancelSignIn());
    dispatch({ type: 'focus', id: SIGN_IN_MENU_TOGGLE_ID });
  };
  // Main opens the current code's verification_uri in the system browser: the renderer names no URL,
  // and the app window never navigates to it (modifier clicks included).
  const openVerificationPage = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    void call(api.openVerificationUri());
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    void close();
  };

  return (
    <section className="panel device-code" aria-labelledby="device-code-heading" onKeyDown={onKeyDown}>
      <h2 id="device-code-heading">Sign in on another device</h2>
      {expired ? (
        <div className="device-code-expired">
          <p role="alert">
            <strong>Code expired at {formatClockTime(deviceCode.expiresOn)}.</strong> Nobody signed in with it; get a new code to try again.
          </p>
          <div className="button-row">
            <button type="button" id={NEW_DEVICE_CODE_ID} className="button-primary" onClick={() => void signIn('device-code', SIGN_IN_MENU_TOGGLE_ID)}>
              Get a new code
            </button>
            <button type="button" className="button-secondary" onClick={() => void close()}>
              Close
            </button>
          </div>
        </div>
      ) : (
        <div className="device-code-body">
          <div>
            <p>
              On a phone or computer, open{' '}
              <a href={deviceCode.verificationUri} rel="noreferrer noopener" onClick={openVerificationPage}>
                {deviceCode.verificationUri}
              </a>{' '}
              and enter this code:
            </p>
            <p className="user-code" id="device-user-code" ref={codeRef} tabIndex={-1} aria-label={`Your code: ${deviceCode.userCode}`}>
              <output>{deviceCode.userCode}</output>
            </p>
            <div className="button-row">
              <button type="button" className="button-secondary" onClick={() => void copy()}>
                {copied ? 'Copied' : 'Copy code'}
              </button>
              <button type="button" className="button-secondary" onClick={() => void close()}>
                Cancel
              </button>
            </div>
            <p className="countdown">
              {msLeft > 0 ? (
                <>
                  Code expires in <span className="countdown-value" title={describeDuration(msLeft)}>{formatCountdown(msLeft)}</span>{' '}
                  <span className="muted">(at {formatClockTime(deviceCode.expiresOn)})</span>
                </>
              ) : (
                `Code expired at ${formatClockTime(deviceCode.expiresOn)}.`
              )}
            </p>
            <p className="muted">{deviceCode.message}</p>
          </div>
          {qr && <img className="qr" src={qr} width={160} height={160} alt={`QR code for ${link}`} />}
        </div>
      )}
    </section>
  );
}
