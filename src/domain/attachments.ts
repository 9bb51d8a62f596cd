/**
 * Attachments of a send (docs/API.md, "Files and images"): each id must name one of the
 * sender's own uploads that is ready; anything else (someone else's, unknown, still uploading,
 * deleted) is 404 upload_not_found at its place in `attachments`, so an id never tells whether
 * another user's upload exists. The store checks again when the send commits.
 */
import type { Attachment } from '@pneumatic/protocol';
import { AppError } from './errors.js';
import type { Store } from './ports/repositories.js';
import type { UploadRecord } from './ports/upload-repository.js';

/** The paths of an upload's bytes and thumbnail; signed as each payload leaves the server. */
export function uploadPaths(id: string): { content: string; thumbnail: string } {
  return { content: `/uploads/${id}/content`, thumbnail: `/uploads/${id}/thumbnail` };
}

/** An upload as a message carries it, with unsigned URLs. */
export function attachmentOf(upload: UploadRecord): Attachment {
  const paths = uploadPaths(upload.id);
  const thumbnail = upload.thumbnail_width !== null && upload.thumbnail_height !== null;
  return {
    id: upload.id,
    filename: upload.filename,
    content_type: upload.content_type,
    size: upload.size,
    sha256: upload.sha256 ?? '',
    width: upload.width,
    height: upload.height,
    url: paths.content,
    thumbnail_url: thumbnail ? paths.thumbnail : null,
    thumbnail_width: upload.thumbnail_width,
    thumbnail_height: upload.thumbnail_height,
  };
}

/** The send's attachments in its order; 404 upload_not_found naming the first id that is not the sender's ready upload. */
export async function resolveAttachments(store: Store, senderId: string, ids: readonly string[]): Promise<Attachment[]> {
  if (ids.length === 0) return [];
  const found = new Map((await store.uploads.attachable(ids, senderId)).map((upload) => [upload.id, upload]));
  return ids.map((id, index) => {
    const upload = found.get(id);
    if (!upload) throw unavailableAttachment(index);
    return attachmentOf(upload);
  });
}

export function unavailableAttachment(index: number | null): AppError {
  const detail = 'attachments must name your own uploads that finished uploading.';
  return new AppError('upload_not_found', detail, index === null ? {} : { errors: [{ pointer: `/attachments/${index}`, detail: 'is not one of your uploads' }] });
}

/** A send needs content, attachments, or both: 400 at /content for neither. */
export function requireSomethingToSend(content: string, attachmentCount: number): void {
  if (content === '' && attachmentCount === 0) {
    const detail = 'must not be empty unless the message has attachments';
    throw new AppError('invalid_request', `content ${detail}.`, { errors: [{ pointer: '/content', detail }] });
  }
}
