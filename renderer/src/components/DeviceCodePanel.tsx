// Device code sign-in: the code big and copyable, the link, a QR code of the link, time left, Cancel.
import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { formatCountdown, describeDuration } from '../../../shared/countdown.js';
import type { DeviceCodeView } from '../../../shared/views.js';
import { useAuthApp } from '../auth-app.js';
import { useNow } from '../clock.js';
import type { Call } from './types.js';

/** SVG rather than canvas: renders identically in Chromium and jsdom, and a data: URL fits the CSP. */
async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export function DeviceCodePanel({ deviceCode, call }: { deviceCode: DeviceCodeView; call: Call }) {
  const api = useAuthApp();
  const now = useNow();
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const link = deviceCode.verificationUriComplete ?? deviceCode.verificationUri;
  const msLeft = deviceCode.expiresOn - now;

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

  return (
    <section className="panel device-code" aria-labelledby="device-code-heading">
      <h2 id="device-code-heading">Sign in on another device</h2>
      <div className="device-code-body">
        <div>
          <p>
            On a phone or computer, open{' '}
            <a href={deviceCode.verificationUri} target="_blank" rel="noreferrer noopener">
              {deviceCode.verificationUri}
            </a>{' '}
            and enter this code:
          </p>
          <p className="user-code" aria-label="Your code">
            <output>{deviceCode.userCode}</output>
          </p>
          <div className="button-row">
            <button type="button" className="button-secondary" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy code'}
            </button>
            <button type="button" className="button-secondary" onClick={() => void call(api.cancelSignIn())}>
              Cancel
            </button>
          </div>
          <p className="countdown" aria-live="off">
            {msLeft > 0 ? (
              <>
                Code expires in <span className="countdown-value" title={describeDuration(msLeft)}>{formatCountdown(msLeft)}</span>
              </>
            ) : (
              'This code has expired.'
            )}
          </p>
          <p className="muted">{deviceCode.message}</p>
        </div>
        {qr && <img className="qr" src={qr} width={160} height={160} alt={`QR code for ${link}`} />}
      </div>
    </section>
  );
}
