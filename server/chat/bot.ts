import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverRoot } from '../lib/package-root.js';

export interface Faq {
  greeting: string;
  fallback: string;
  handoff: string;
  offline: string;
  answers: { keywords: string[]; answer: string }[];
  handoffWords: string[];
}

/** The rule bot's knowledge: a small FAQ file (server/chat/faq.json, or TOUCHPOINT_FAQ). */
export const loadFaq = (file = process.env.TOUCHPOINT_FAQ ?? join(serverRoot(), 'chat/faq.json')): Faq => JSON.parse(readFileSync(file, 'utf8')) as Faq;

/**
 * The FAQ a site's bot uses: the answers and fallback its owner set in the
 * console (site config `chat.answers`, `chat.fallback`) over the file's.
 */
export const siteFaq = (faq: Faq, chat: { answers?: Faq['answers']; fallback?: string } | undefined): Faq =>
  chat?.answers || chat?.fallback ? { ...faq, ...(chat.answers ? { answers: chat.answers } : {}), ...(chat.fallback ? { fallback: chat.fallback } : {}) } : faq;

/**
 * What the system says on a hand-off: a person is coming; or, with no one
 * online, when people are back (the site's hours) and — unless the site turned
 * the offline form off (`chat.offlineForm: false`) — an offer to leave an e-mail.
 */
export const handoffNotice = (
  faq: Faq,
  chat: { businessHours?: string; offlineForm?: boolean } | undefined,
  online: boolean,
): { body: string; data?: { askEmail: true; businessHours?: string } } => {
  if (online) return { body: faq.handoff };
  const hours = chat?.businessHours;
  if (chat?.offlineForm === false) return { body: hours ? `No one is available right now. We are here ${hours}.` : 'No one is available right now.' };
  return { body: hours ? `${faq.offline} (${hours})` : faq.offline, data: { askEmail: true, ...(hours ? { businessHours: hours } : {}) } };
};

export type BotReply = { kind: 'answer'; text: string } | { kind: 'handoff' };

const words = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}\s]/gu, ' ');

/**
 * What the bot says to a visitor's message: hand off when asked for a person
 * (at any time), else the first FAQ answer one of whose keywords starts a word, else the
 * fallback that offers a person.
 */
export const botReply = (faq: Faq, message: string): BotReply => {
  const text = ` ${words(message).replace(/\s+/g, ' ')} `;
  if (faq.handoffWords.some((w) => text.includes(` ${words(w).trim()} `))) return { kind: 'handoff' };
  // A keyword matches the start of a word: "return" answers "returns" and "returned".
  const hit = faq.answers.find((a) => a.keywords.some((k) => text.includes(` ${words(k).trim()}`)));
  return { kind: 'answer', text: hit?.answer ?? faq.fallback };
};
