import type { enChat } from './en.js';

/** Română. */
export const strings: Record<keyof typeof enChat, string> = {
  chatOpen: "Scrie-ne",
  chatOpenUnread: "Scrie-ne, {n} necitite",
  chatTitle: "Chat",
  chatClose: "Închide chatul",
  chatPlaceholder: "Scrie un mesaj…",
  chatSend: "Trimite",
  chatYou: "Tu",
  chatAssistant: "Asistent",
  chatSending: "Se trimite…",
  chatFailed: "Netrimis.",
  chatRetry: "Reîncearcă",
  chatTyping: "{name} scrie…",
  chatSomeone: "Cineva",
  chatHuman: "Vorbește cu o persoană",
  chatWaiting: "Așteptăm să intre o persoană…",
  chatWith: "Vorbești cu {name}",
  chatEmailLabel: "Adresa ta de email",
  chatEmailSend: "Trimite",
  chatEmailThanks: "Mulțumim — îți răspundem la {email}.",
  chatClosed: "Conversația s-a încheiat. Scrie din nou pentru a o redeschide.",
  chatMessages: "Mesaje",
  chatOnline: "Suntem online — de obicei răspundem în câteva minute.",
  chatHours: "Program: {hours}",
  chatSeen: "Văzut",
};
