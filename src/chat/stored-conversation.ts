import { readStored, writeStored } from '../lib/storage.js';
import { KEYS } from '../lib/storage-keys.js';

/** The conversation remembered on this device: its id (`c`) and the anonymous id it belongs to (`a`): another visitor on this device never sees it. */
export interface StoredConversation {
  c: string;
  a: string;
}

export const readConversation = (): StoredConversation | undefined => readStored<StoredConversation>(KEYS.localStorage.chat);
export const writeConversation = (s: StoredConversation | undefined): void => writeStored(KEYS.localStorage.chat, s);

/** Whether this device remembers a conversation: the launcher then connects at idle, before any intent. */
export const hasStoredConversation = (): boolean => !!readConversation();

/** Calls `fn` when another tab of this browser starts a conversation (the storage event fires in the others); returns the remover. */
export const onStoredConversation = (fn: () => void): (() => void) => {
  const listener = (e: StorageEvent) => {
    if (e.key === KEYS.prefix + KEYS.localStorage.chat && e.newValue) fn();
  };
  addEventListener('storage', listener);
  return () => removeEventListener('storage', listener);
};
