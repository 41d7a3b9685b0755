import Type, { type Static } from 'typebox';
import { ATTACHMENT_TYPES, THUMBNAIL_SIDE } from './attachment-types.js';

export { ATTACHMENT_TYPES, ATTACHMENT_BYTES, THUMBNAIL_SIDE, type AttachmentType } from './attachment-types.js';

export const ChatThumbnail = Type.Object(
  {
    width: Type.Integer({ minimum: 1, maximum: THUMBNAIL_SIDE, description: 'Pixels.' }),
    height: Type.Integer({ minimum: 1, maximum: THUMBNAIL_SIDE, description: 'Pixels.' }),
  },
  {
    additionalProperties: false,
    $id: 'ChatThumbnail',
    description:
      'A small copy the backend made of an image attachment: WebP, at most 320 px a side, upright, without the original\'s metadata. Read it at the file\'s URL followed by `/thumbnail` (`…/attachments/{seq}/{index}/thumbnail`, the same query); its size lets a client reserve the space before it loads.',
  },
);
export type ChatThumbnail = Static<typeof ChatThumbnail>;

export const ChatAttachment = Type.Object(
  {
    filename: Type.String({ minLength: 1, maxLength: 255, description: 'The name the sender gave the file (shown, never trusted as a path).' }),
    contentType: Type.Enum(ATTACHMENT_TYPES, { description: 'What the bytes are, as the server sniffed them.' }),
    size: Type.Integer({ minimum: 1, description: 'Bytes.' }),
    thumbnail: Type.Optional(ChatThumbnail),
  },
  {
    additionalProperties: false,
    $id: 'ChatAttachment',
    description:
      'One file of a `message` event, in `data.attachments` (index 0, 1…). Read it at `GET /v1/chat/conversations/{id}/attachments/{seq}/{index}?site&token` (the visitor) or `GET /v1/agent/conversations/{id}/attachments/{seq}/{index}` (agents).',
  },
);
export type ChatAttachment = Static<typeof ChatAttachment>;

export const AttachmentUploadQuery = Type.Object(
  {
    site: Type.String({ minLength: 1, maxLength: 64, description: 'Public site key.' }),
    token: Type.Optional(Type.String({ maxLength: 2048, description: 'Visitor token (missing: `invalid_token`).' })),
    clientId: Type.String({ minLength: 1, maxLength: 64, description: 'Idempotency key of the message: a retry never posts the file twice.' }),
    name: Type.String({ minLength: 1, maxLength: 255, description: 'The file\'s name, as the visitor picked it.' }),
  },
  { $id: 'AttachmentUploadQuery', description: 'The query of `POST /v1/chat/conversations/{id}/attachments`; the body is the file\'s bytes, `Content-Type` its declared type.' },
);
export type AttachmentUploadQuery = Static<typeof AttachmentUploadQuery>;

export const AttachmentParams = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, description: 'Conversation id.' }),
    // Digits only: "1e3", "-1" or " 1" are refused, not read as numbers.
    seq: Type.String({ pattern: '^[1-9][0-9]{0,8}$', description: 'Seq of the message.' }),
    index: Type.String({ pattern: '^(0|[1-9][0-9]{0,2})$', description: 'Position of the file in its message\'s `data.attachments`.' }),
  },
  { $id: 'AttachmentParams', description: '`{id}`, `{seq}` and `{index}` of `…/conversations/{id}/attachments/{seq}/{index}`.' },
);
export type AttachmentParams = Static<typeof AttachmentParams>;
