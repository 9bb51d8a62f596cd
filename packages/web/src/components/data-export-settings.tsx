/**
 * Settings → Your data (docs/API.md, "Your data"): "Download my data" saves your account, the
 * people you block, the conversations you are in and every message you sent in them as one JSON
 * file (`GET /users/me/export`, read whole by the SDK's exportMyData), named after you.
 */
import { useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { exportFileName, exportFileText, saveTextFile } from '../lib/data-export.js';
import { errorText } from '../lib/errors.js';
import { FormError } from './form-error.js';

export function DataExportSettings({ store }: { store: ChatStore }) {
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<string | null>(null);

  const download = async () => {
    if (busy) return;
    setBusy(true);
    setNotice('');
    setError(null);
    try {
      const data = await store.client.exportMyData();
      const name = exportFileName(store.me.username);
      saveTextFile(exportFileText(data), name);
      setNotice(`Your data is saved as ${name}.`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="settings__section" aria-labelledby="data-export-heading">
      <h3 id="data-export-heading">Your data</h3>
      <p class="muted">Download a copy of your account, the people you block, the conversations you are in and every message you sent in them, as one JSON file. A long history takes a moment.</p>
      <div class="form__actions">
        <button type="button" class="button" aria-busy={busy} onClick={() => void download()}>
          {busy ? 'Preparing your data…' : 'Download my data'}
        </button>
      </div>
      <p class="members__notice" role="status">
        {notice}
      </p>
      <FormError error={error} />
    </section>
  );
}
