/**
 * An image at full size over the page: a modal dialog (focus moves to its Close button and stays
 * inside until it closes; Escape, Close or a click beside the image close it). The opener puts
 * focus back where it was.
 */
import type { Attachment } from '@pneumatic/client';
import { useEffect, useRef } from 'preact/hooks';

interface ImageLightboxProps {
  attachment: Attachment & { width: number; height: number };
  onClose: () => void;
  /** The full image failed to load (its link may have expired). */
  onImageError: () => void;
}

export function ImageLightbox({ attachment, onClose, onImageError }: ImageLightboxProps) {
  const dialog = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    closeButton.current?.focus();
    // On the document: a click on the image leaves nothing inside focused, and Escape must still close.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
      } else if (e.key === 'Tab') keepFocusInside(e, dialog.current);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div
      ref={dialog}
      class="lightbox"
      role="dialog"
      aria-modal="true"
      aria-label={attachment.filename}
    >
      <div class="lightbox__bar">
        <span class="lightbox__name">{attachment.filename}</span>
        <a class="button button--small lightbox__button" href={attachment.url} download={attachment.filename}>
          Download
        </a>
        <button ref={closeButton} type="button" class="button button--small lightbox__button" onClick={onClose}>
          Close
        </button>
      </div>
      <div
        class="lightbox__stage"
        onClick={(e) => {
          if (e.target === e.currentTarget) onClose();
        }}
      >
        <img class="lightbox__image" src={attachment.url} width={attachment.width} height={attachment.height} alt={attachment.filename} onError={onImageError} />
      </div>
    </div>
  );
}

/** Tab from the last focusable element goes to the first, Shift+Tab from the first to the last. */
function keepFocusInside(e: KeyboardEvent, root: HTMLElement | null): void {
  if (!root) return;
  const focusable = [...root.querySelectorAll<HTMLElement>('a[href], button:not([disabled])')];
  const first = focusable[0];
  const last = focusable.at(-1);
  if (!first || !last) return;
  const inside = root.contains(document.activeElement);
  if (e.shiftKey && (document.activeElement === first || !inside)) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (document.activeElement === last || !inside)) {
    e.preventDefault();
    first.focus();
  }
}
