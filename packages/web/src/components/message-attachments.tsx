/**
 * A message's files: images as thumbnails of their known size (so nothing shifts while they
 * load) that open the lightbox, other files as cards that download. Signed links expire about an
 * hour after the message arrived: an image that fails to load, or a download whose link has
 * passed its expiry, gets fresh links from GET /uploads/{id} once.
 */
import type { Attachment, Message } from '@pneumatic/client';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { fileExtension, fileTypeLabel, humanSize, isInlineImage, linkExpired, type InlineImage } from '../lib/attachments.js';
import { ImageLightbox } from './image-lightbox.js';

export function MessageAttachments({ store, message }: { store: ChatStore; message: Message }) {
  const files = message.deleted ? [] : (message.attachments ?? []);
  if (files.length === 0) return null;
  return (
    <ul class="attachments" aria-label="Attachments">
      {files.map((attachment) => (
        <li key={attachment.id} class="attachments__item">
          {isInlineImage(attachment) ? <ImageAttachment store={store} attachment={attachment} /> : <FileAttachment store={store} attachment={attachment} />}
        </li>
      ))}
    </ul>
  );
}

/** The attachment with its freshest links, and `refresh()`, which asks the server for new ones at most once. */
function useFreshLinks<T extends Attachment>(store: ChatStore, attachment: T): { current: T; refresh: () => Promise<T | null> } {
  const [fresh, setFresh] = useState<T | null>(null);
  const asked = useRef<Promise<T | null> | null>(null);
  // A new copy of the message (new links) starts over.
  useEffect(() => {
    setFresh(null);
    asked.current = null;
  }, [attachment.url]);
  const refresh = useCallback(() => {
    asked.current ??= store.client.getUpload(attachment.id).then(
      (upload) => {
        const next = { ...attachment, url: upload.url, thumbnail_url: upload.thumbnail_url };
        setFresh(next);
        return next;
      },
      () => null,
    );
    return asked.current;
  }, [store, attachment]);
  return { current: fresh ?? attachment, refresh };
}

function ImageAttachment({ store, attachment }: { store: ChatStore; attachment: InlineImage }) {
  const { current, refresh } = useFreshLinks(store, attachment);
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const close = useCallback(() => {
    setOpen(false);
    opener.current?.focus();
  }, []);
  return (
    <>
      <button ref={opener} type="button" class="attachment-image" aria-haspopup="dialog" aria-label={`Open image ${current.filename}`} onClick={() => setOpen(true)}>
        <img src={current.thumbnail_url} width={current.thumbnail_width} height={current.thumbnail_height} alt={current.filename} onError={() => void refresh()} />
      </button>
      {open ? <ImageLightbox attachment={current} onClose={close} onImageError={() => void refresh()} /> : null}
    </>
  );
}

function FileAttachment({ store, attachment }: { store: ChatStore; attachment: Attachment }) {
  const { current, refresh } = useFreshLinks(store, attachment);
  const type = fileTypeLabel(current.content_type, current.filename);
  return (
    <a
      class="attachment-file"
      href={current.url}
      download={current.filename}
      onClick={(e) => {
        if (!linkExpired(current.url)) return;
        // An expired link would answer 403: fetch a fresh one, then download from it.
        e.preventDefault();
        void refresh().then((next) => {
          if (next) downloadFrom(next.url, next.filename);
        });
      }}
    >
      <span class="attachment-file__icon" aria-hidden="true">
        {fileExtension(current.filename) || 'FILE'}
      </span>
      <span class="attachment-file__body">
        <span class="attachment-file__name">{current.filename}</span>
        <span class="attachment-file__meta">
          {type} · {humanSize(current.size)}
        </span>
      </span>
    </a>
  );
}

function downloadFrom(url: string, filename: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
}
