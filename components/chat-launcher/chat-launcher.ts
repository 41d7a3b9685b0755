import { TpChatLauncher } from './chat-launcher.component.js';
import type { ChatEvent } from 'touchpoint/protocol';

export { TpChatLauncher };
export default TpChatLauncher;

TpChatLauncher.define('tp-chat-launcher');

declare global {
  interface HTMLElementTagNameMap {
    'tp-chat-launcher': TpChatLauncher;
  }
  interface GlobalEventHandlersEventMap {
    'tp-chat-open': CustomEvent<undefined>;
    'tp-chat-close': CustomEvent<undefined>;
    'tp-chat-message': CustomEvent<ChatEvent>;
    'tp-chat-unread-change': CustomEvent<{ count: number }>;
    'tp-chat-conversation-close': CustomEvent<{ conversationId: string }>;
    'tp-chat-handoff': CustomEvent<{ conversationId: string }>;
    'tp-chat-panel-close': CustomEvent<undefined>;
    'tp-chat-panel-message': CustomEvent<ChatEvent>;
    'tp-chat-panel-unread': CustomEvent<{ count: number }>;
  }
}
