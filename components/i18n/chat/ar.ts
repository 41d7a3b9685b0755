import type { enChat } from './en.js';

/** العربية (right to left). */
export const strings: Record<keyof typeof enChat, string> = {
  chatOpen: "تحدّث معنا",
  chatOpenUnread: "تحدّث معنا، {n} غير مقروءة",
  chatTitle: "الدردشة",
  chatClose: "إغلاق الدردشة",
  chatPlaceholder: "اكتب رسالة…",
  chatSend: "إرسال",
  chatYou: "أنت",
  chatAssistant: "المساعد",
  chatSending: "جارٍ الإرسال…",
  chatFailed: "لم تُرسل.",
  chatRetry: "إعادة المحاولة",
  chatTyping: "{name} يكتب…",
  chatSomeone: "شخص ما",
  chatHuman: "التحدث إلى شخص",
  chatWaiting: "بانتظار انضمام شخص…",
  chatWith: "أنت تتحدث مع {name}",
  chatEmailLabel: "بريدك الإلكتروني",
  chatEmailSend: "إرسال",
  chatEmailThanks: "شكرًا — سنرد على {email}.",
  chatClosed: "انتهت هذه المحادثة. اكتب مجددًا لإعادة فتحها.",
  chatMessages: "الرسائل",
  chatOnline: "نحن متصلون الآن — نرد عادةً خلال دقائق.",
  chatHours: "ساعات العمل: {hours}",
  chatSeen: "تمت القراءة",
};
