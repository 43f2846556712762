import { useState } from 'preact/hooks';
import { iam, session as sessionApi } from '../api.js';
import { ErrorBox, Field, useAction } from '../ui.js';

/**
 * Assign a virtual MFA device: CreateVirtualMFADevice (the QR code and the secret come
 * from IAM's answer), then two consecutive codes: EnableMFADevice for an IAM user, the
 * console's own root enrolment for the root user (AWS offers that only in the console).
 */
export function AssignMfa({ userName, onDone, onCancel }: { userName?: string; onDone: () => void; onCancel: () => void }) {
  const [deviceName, setDeviceName] = useState(userName ?? 'root-mfa');
  const [device, setDevice] = useState<{ serial: string; seed: string; png: string } | undefined>(undefined);
  const [showSecret, setShowSecret] = useState(false);
  const [code1, setCode1] = useState('');
  const [code2, setCode2] = useState('');
  const act = useAction();
  const create = (e: Event) => {
    e.preventDefault();
    act.run(async () => {
      const r = await iam('CreateVirtualMFADevice', { VirtualMFADeviceName: deviceName.trim() });
      const d = r.VirtualMFADevice as Record<string, string>;
      // Blobs travel base64-encoded in the query protocol: the seed is Base32 text inside.
      setDevice({ serial: d.SerialNumber, seed: atob(d.Base32StringSeed), png: d.QRCodePNG });
    });
  };
  const enable = (e: Event) => {
    e.preventDefault();
    act.run(async () => {
      if (userName) await iam('EnableMFADevice', { UserName: userName, SerialNumber: device!.serial, AuthenticationCode1: code1.trim(), AuthenticationCode2: code2.trim() });
      else await sessionApi.enableRootMfa(device!.serial, code1.trim(), code2.trim());
      onDone();
    });
  };
  const cancel = () => act.run(async () => {
    if (device) await iam('DeleteVirtualMFADevice', { SerialNumber: device.serial }).catch(() => undefined);
    onCancel();
  });
  return (
    <div class="card inner mfa">
      <h3>Assign MFA device</h3>
      {!device && (
        <form onSubmit={create}>
          <Field label="Device name" hint="A name for this authenticator app">
            <input name="deviceName" required value={deviceName} onInput={(e) => setDeviceName((e.target as HTMLInputElement).value)} />
          </Field>
          <p>MFA device: <strong>Authenticator app</strong> (a virtual MFA device: Google Authenticator, Authy, 1Password…)</p>
          <ErrorBox error={act.error} />
          <div class="actions">
            <button type="button" onClick={cancel}>Cancel</button>
            <button type="submit" class="primary" disabled={act.busy}>Next</button>
          </div>
        </form>
      )}
      {device && (
        <form onSubmit={enable}>
          <ol class="steps">
            <li>Install a compatible application such as Google Authenticator on your phone.</li>
            <li>
              Open your authenticator app and scan this QR code, or enter the secret key.
              <div class="qr">
                <img src={`data:image/png;base64,${device.png}`} alt="QR code of the virtual MFA device" width={200} height={200} />
              </div>
              {showSecret
                ? <p>Secret key: <code data-testid="mfa-secret">{device.seed}</code></p>
                : <button type="button" class="link" onClick={() => setShowSecret(true)}>Show secret key</button>}
            </li>
            <li>
              Type two consecutive MFA codes below.
              <Field label="MFA code 1"><input name="code1" inputMode="numeric" required pattern="[0-9]{6}" value={code1} onInput={(e) => setCode1((e.target as HTMLInputElement).value)} /></Field>
              <Field label="MFA code 2"><input name="code2" inputMode="numeric" required pattern="[0-9]{6}" value={code2} onInput={(e) => setCode2((e.target as HTMLInputElement).value)} /></Field>
            </li>
          </ol>
          <p class="muted">Serial number: <code>{device.serial}</code></p>
          <ErrorBox error={act.error} />
          <div class="actions">
            <button type="button" onClick={cancel}>Cancel</button>
            <button type="submit" class="primary" disabled={act.busy}>Add MFA</button>
          </div>
        </form>
      )}
    </div>
  );
}
