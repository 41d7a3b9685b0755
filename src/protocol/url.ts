import Type, { type Static } from 'typebox';

/**
 * The values a URL carries (path segments and query parameters), with limits
 * like any body field. An error names them `{name}` (path) or `?name`
 * (query). Unknown query parameters are ignored (caches and proxies add them).
 */
const Key = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
/** A non-negative integer as decimal digits, at most 999,999,999: what a seq can be. */
export const SEQ_PATTERN = '^(0|[1-9][0-9]{0,8})$';

export const SiteKeyParams = Type.Object({ siteKey: Key('Public site key.') }, { $id: 'SiteKeyParams', description: '`{siteKey}` in a path.' });

export const ConversationParams = Type.Object({ id: Key('Conversation id.') }, { $id: 'ConversationParams', description: '`{id}` of `/v1/chat/conversations/{id}/…`.' });

export const ChannelParams = Type.Object({ channel: Key('Inbound channel name.') }, { $id: 'ChannelParams', description: '`{channel}` of `/v1/channels/{channel}/messages`.' });

export const StoredEventParams = Type.Object({ siteKey: Key('Public site key.'), messageId: Key('The event\'s messageId.') }, { $id: 'StoredEventParams', description: '`{siteKey}` and `{messageId}` of `GET /v1/admin/sites/{siteKey}/events/{messageId}`.' });

export const BatchQuery = Type.Object(
  {
    site: Type.Optional(Key('Public site key; wins over the body\'s `siteKey` when both are given.')),
    encoding: Type.Optional(Type.String({ maxLength: 16, description: '`gzip`, the only encoding.' })),
  },
  { $id: 'BatchQuery', description: 'The query of `POST /v1/batch`, `POST /v1/visitor` and `POST /v1/channels/{channel}/messages`.' },
);

export const ChatQuery = Type.Object(
  {
    site: Key('Public site key.'),
    token: Type.Optional(Type.String({ maxLength: 2048, description: 'Visitor token (missing: `invalid_token`).' })),
    after: Type.Optional(Type.String({ pattern: SEQ_PATTERN, description: '`GET …/events`: only events with a greater seq (default 0).' })),
    cursor: Type.Optional(Type.String({ maxLength: 8192, description: '`GET /v1/chat/stream`: a resume cursor, when `Last-Event-ID` cannot be sent.' })),
  },
  { $id: 'ChatQuery', description: 'The query of the chat `GET`s and the stream.' },
);
export type ChatQuery = Static<typeof ChatQuery>;
