/** Files and images (docs/API.md, "Files and images"): the upload object and the fixed parts of the contract. */
import { Type, type Static } from 'typebox';
import { Attachment, Timestamp } from './models.js';

/** At most this many attachments on one message; more is 400 invalid_request. */
export const ATTACHMENTS_MAX_PER_MESSAGE = 10;

/** Image types served inline (and thumbnailed); every other type is served as a download. */
export const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;

/** The multipart/form-data field that carries the file in POST /uploads. */
export const UPLOAD_FILE_FIELD = 'file';

/** An upload as its owner (or a member of a conversation it is attached in) sees it. */
export const Upload = Type.Object(
  {
    ...Attachment.properties,
    created_at: Timestamp,
    /** Whether a message attaches it; an upload never attached is deleted UPLOAD_ORPHAN_HOURS after its upload. */
    attached: Type.Boolean(),
  },
  { title: 'Upload' },
);
export type Upload = Static<typeof Upload>;
