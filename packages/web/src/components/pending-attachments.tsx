/** The files attached in a composer, each a card: name, size, progress while uploading, cancel, and the error with a retry if it failed. */
import type { ChatStore } from '../lib/chat-store.js';
import { humanSize } from '../lib/attachments.js';
import type { PendingUpload } from '../lib/stores/pending-uploads.js';
import { useAtom } from '../lib/use-atom.js';

export function PendingAttachments({ store, composerKey }: { store: ChatStore; composerKey: string }) {
  const { items, notice } = useAtom(store.uploads.of(composerKey));
  if (items.length === 0 && !notice) return null;
  return (
    <div class="composer__uploads">
      {items.length > 0 ? (
        <ul class="upload-chips" aria-label="Attached files">
          {items.map((item) => (
            <UploadChip key={item.id} item={item} onRemove={() => store.uploads.remove(composerKey, item.id)} onRetry={() => store.uploads.retry(composerKey, item.id)} />
          ))}
        </ul>
      ) : null}
      {notice ? (
        <p class="composer__notice" role="alert">
          {notice}
        </p>
      ) : null}
    </div>
  );
}

function UploadChip({ item, onRemove, onRetry }: { item: PendingUpload; onRemove: () => void; onRetry: () => void }) {
  const percent = item.size > 0 ? Math.floor((item.loaded / item.size) * 100) : 0;
  return (
    <li class={`upload-chip upload-chip--${item.status}`} aria-busy={item.status === 'uploading'}>
      <div class="upload-chip__top">
        <span class="upload-chip__name" title={item.name}>
          {item.name}
        </span>
        <span class="upload-chip__size">{humanSize(item.size)}</span>
        <button
          type="button"
          class="button button--ghost button--tiny upload-chip__remove"
          aria-label={item.status === 'uploading' ? `Cancel upload of ${item.name}` : `Remove ${item.name}`}
          title={item.status === 'uploading' ? 'Cancel upload' : 'Remove'}
          onClick={onRemove}
        >
          ✕
        </button>
      </div>
      {item.status === 'uploading' ? (
        <div class="upload-chip__bar" role="progressbar" aria-label={`Uploading ${item.name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
          <div class="upload-chip__fill" style={{ width: `${percent}%` }} />
        </div>
      ) : null}
      {item.status === 'failed' ? (
        <p class="upload-chip__error">
          <span>{item.error ?? 'Upload failed.'}</span>
          <button type="button" class="button button--ghost button--tiny" aria-label={`Retry uploading ${item.name}`} onClick={onRetry}>
            Retry
          </button>
        </p>
      ) : null}
      {item.status === 'done' ? <span class="visually-hidden">Uploaded</span> : null}
    </li>
  );
}
