import Type, { type Static } from 'typebox';
import { LIMITS, PROTOCOL_VERSION } from './constants.js';

export const InboundMessage = Type.Object(
  {
    protocol: Type.Literal(PROTOCOL_VERSION),
    externalId: Type.String({ minLength: 1, maxLength: 256, description: 'The customer on that channel (an email address, a messaging handle): their messages thread into one conversation.' }),
    messageId: Type.String({ minLength: 1, maxLength: 128, description: 'The channel\'s id of this message: posting it again stores nothing new (idempotency key).' }),
    body: Type.String({ minLength: 1, maxLength: LIMITS.chatMessageChars, description: 'Plain text. For email, the new part of the message (without the quoted thread).' }),
    from: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 128 })),
          email: Type.Optional(Type.String({ format: 'email', maxLength: 320, description: 'Shown to agents; offered for replies.' })),
        },
        { additionalProperties: false },
      ),
    ),
    subject: Type.Optional(Type.String({ maxLength: 512, description: 'Email subject, shown as a note when it starts a conversation.' })),
  },
  {
    additionalProperties: false,
    $id: 'InboundMessage',
    description: '`POST /v1/channels/{channel}/messages?site={siteKey}`, signed with the channel secret (`Touchpoint-Signature`).',
  },
);
export type InboundMessage = Static<typeof InboundMessage>;

export const ChannelReply = Type.Object(
  {
    id: Type.String({ description: 'Event id: the same for every retry — dedupe on it.' }),
    type: Type.Literal('conversation.reply'),
    createdAt: Type.String({ format: 'date-time' }),
    siteKey: Type.String(),
    data: Type.Object({
      channel: Type.String(),
      externalId: Type.String({ description: 'Who to send it to on the channel, as the bridge posted it.' }),
      conversationId: Type.String(),
      messageId: Type.String({ description: '`{conversationId}:{seq}`.' }),
      author: Type.Object({ kind: Type.Literal('agent'), name: Type.Optional(Type.String()) }),
      body: Type.String(),
      createdAt: Type.String({ format: 'date-time' }),
    }),
  },
  { $id: 'ChannelReply', description: 'What the server posts to a channel\'s `replyUrl` when an agent answers, signed with the channel secret.' },
);
export type ChannelReply = Static<typeof ChannelReply>;
