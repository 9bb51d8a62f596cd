/** Dropping files onto the conversation attaches them, with an outline over it while files are dragged above it. */
import type { HTMLAttributes } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { filesOf } from './attach-button.js';

type DropHandlers = Required<Pick<HTMLAttributes<HTMLDivElement>, 'onDragEnter' | 'onDragOver' | 'onDragLeave' | 'onDrop'>>;

/** Handlers for the drop target, and whether files are being dragged over it. Drags of anything but files (text, links) are left alone. */
export function useFileDrop(onFiles: (files: File[]) => void): { dragging: boolean; handlers: DropHandlers } {
  const [dragging, setDragging] = useState(false);
  // dragenter and dragleave fire for every child crossed: count them to know when the pointer left.
  const depth = useRef(0);
  const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
  // A file dropped beside the target (the sidebar, a panel) would make the browser leave the app
  // to open it: such drops do nothing instead.
  useEffect(() => {
    const ignore = (e: DragEvent) => {
      // Prevented already: the drop target took it.
      if (!carriesFiles(e) || e.defaultPrevented) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'none';
    };
    window.addEventListener('dragover', ignore);
    window.addEventListener('drop', ignore);
    return () => {
      window.removeEventListener('dragover', ignore);
      window.removeEventListener('drop', ignore);
    };
  }, []);
  return {
    dragging,
    handlers: {
      onDragEnter: (e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        depth.current++;
        setDragging(true);
      },
      onDragOver: (e) => {
        if (!carriesFiles(e)) return;
        // Without this the browser would open the file instead of dropping it here.
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      },
      onDragLeave: (e) => {
        if (!carriesFiles(e)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      },
      onDrop: (e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setDragging(false);
        const files = filesOf(e.dataTransfer);
        if (files.length > 0) onFiles(files);
      },
    },
  };
}

export function DropOverlay() {
  return (
    <div class="drop-overlay" aria-hidden="true">
      <span>Drop files to attach them</span>
    </div>
  );
}
