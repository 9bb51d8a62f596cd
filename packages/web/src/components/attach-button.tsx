/** The composer's paperclip: opens the system file picker (several files at once); each file chosen starts uploading. */
import { useRef } from 'preact/hooks';

export function AttachButton({ label, onFiles }: { label: string; onFiles: (files: File[]) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" class="button button--ghost button--icon composer__attach" aria-label={label} title={label} onClick={() => input.current?.click()}>
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M21 11.5 12.5 20a5.5 5.5 0 0 1-7.8-7.8l8.9-8.9a3.7 3.7 0 0 1 5.2 5.2l-8.9 8.9a1.8 1.8 0 0 1-2.6-2.6L15.5 7" />
        </svg>
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          // Cleared so that choosing the same file again is a change too.
          e.currentTarget.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}

/** Files on a clipboard or in a drop; none when it also holds text (pasting text wins). */
export function filesOf(data: DataTransfer | null, { ignoreWithText = false } = {}): File[] {
  if (!data) return [];
  if (ignoreWithText && data.types.includes('text/plain')) return [];
  const files = [...data.files];
  if (files.length > 0) return files;
  // Some browsers list pasted images only as items.
  return [...data.items].filter((item) => item.kind === 'file').flatMap((item) => item.getAsFile() ?? []);
}
