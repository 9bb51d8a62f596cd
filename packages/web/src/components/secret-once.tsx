/**
 * A secret the server shows once and never again (an API token, a webhook's signing secret):
 * what it is, the value to select or copy, and Done to put it away.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

export function SecretOnce({ secret, onDone, children }: { secret: string; onDone: () => void; children: ComponentChildren }) {
  const [copied, setCopied] = useState(false);
  const copy = () => void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false));
  return (
    <div class="tokens__secret" role="status">
      <p>{children}</p>
      <code class="tokens__value" data-secret>
        {secret}
      </code>
      <div class="form__actions">
        <button type="button" class="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" class="button button--ghost" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
