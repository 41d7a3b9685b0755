import { TpChatLauncher } from './chat-launcher.js';

/** Puts the launcher on the page for the script-tag build (lazy chunk), unless the site placed its own. */
export const mountChatLauncher = (siteKey: string, endpoint: string): TpChatLauncher =>
  document.querySelector('tp-chat-launcher') ?? document.body.appendChild(Object.assign(new TpChatLauncher(), { siteKey, endpoint }));
