import type { enChat } from './en.js';

/** עברית (right to left). */
export const strings: Record<keyof typeof enChat, string> = {
  chatOpen: 'דברו איתנו',
  chatOpenUnread: 'דברו איתנו, {n} לא נקראו',
  chatTitle: 'צ׳אט',
  chatClose: 'סגירת הצ׳אט',
  chatPlaceholder: 'כתבו הודעה…',
  chatSend: 'שליחה',
  chatYou: 'אתם',
  chatAssistant: 'העוזר',
  chatSending: 'בשליחה…',
  chatFailed: 'לא נשלחה.',
  chatRetry: 'ניסיון חוזר',
  chatTyping: '{name} מקליד/ה…',
  chatSomeone: 'מישהו',
  chatHuman: 'שיחה עם נציג',
  chatWaiting: 'ממתינים להצטרפות נציג…',
  chatWith: 'אתם משוחחים עם {name}',
  chatEmailLabel: 'כתובת האימייל שלכם',
  chatEmailSend: 'שליחה',
  chatEmailThanks: 'תודה — נשיב אל {email}.',
  chatClosed: 'השיחה הזו נסגרה. כתבו שוב כדי לפתוח אותה מחדש.',
  chatMessages: 'הודעות',
  chatOnline: 'אנחנו זמינים — בדרך כלל עונים תוך כמה דקות.',
  chatHours: 'שעות הפעילות שלנו: {hours}',
  chatSeen: 'נקראה',
};
