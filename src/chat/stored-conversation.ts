import { readStored, writeStored } from '../lib/storage.js';

/** The conversation remembered on this device: its id (`c`) and the anonymous id it belongs to (`a`): another visitor on this device never sees it. */
export interface StoredConversation {
  c: string;
  a: string;
}

/** Its localStorage key, under the SDK's versioned prefix (`tp:v1:chat`). */
const KEY = 'chat';

export const readConversation = (): StoredConversation | undefined => readStored<StoredConversation>(KEY);
export const writeConversation = (s: StoredConversation | undefined): void => writeStored(KEY, s);

/** Whether this device remembers a conversation: the launcher then connects at idle, before any intent. */
export const hasStoredConversation = (): boolean => !!readConversation();

/** Calls `fn` when another tab of this browser starts a conversation (the storage event fires in the others); returns the remover. */
export const onStoredConversation = (fn: () => void): (() => void) => {
  const listener = (e: StorageEvent) => {
    if (e.key === `tp:v1:${KEY}` && e.newValue) fn();
  };
  addEventListener('storage', listener);
  return () => removeEventListener('storage', listener);
};
