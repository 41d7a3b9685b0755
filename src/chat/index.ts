/**
 * The chat client (`touchpoint/chat`): the visitor's side of the chat
 * protocol, framework-free — what `<tp-chat-launcher>` is built on, for a
 * chat UI of your own.
 * @packageDocumentation
 */
export { ChatClient, type ChatClientOptions, type ChatClientEvents, type PendingMessage } from './chat-client.js';
export type { ChatIdentity } from './chat-transport.js';
export { hasStoredConversation, onStoredConversation } from './stored-conversation.js';
