import { TpChatPanel } from './chat-panel.component.js';

export { TpChatPanel };

TpChatPanel.define('tp-chat-panel');

declare global {
  interface HTMLElementTagNameMap {
    'tp-chat-panel': TpChatPanel;
  }
}
