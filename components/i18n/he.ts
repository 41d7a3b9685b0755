import type { Strings } from './en.js';

/** עברית (right to left). */
export const strings: Partial<Strings> = {
  consentTitle: 'הפרטיות שלך חשובה לנו',
  consentBody: 'אנו משתמשים בעוגיות ובטכנולוגיות דומות כדי להפעיל את האתר, למדוד את השימוש בו ולשפר אותו. בחרו מה אתם מאשרים; אפשר לשנות את הבחירה בכל עת.',
  consentAcceptAll: 'אישור הכול',
  consentRejectAll: 'דחיית הכול',
  consentCustomize: 'התאמה אישית',
  consentSave: 'שמירת הבחירות',
  consentPreferences: 'העדפות פרטיות',
  consentClose: 'סגירה',
  consentAlwaysOn: 'פעיל תמיד',
  consentPolicy: 'מדיניות פרטיות',
  'cat.necessary': 'הכרחיות',
  'cat.functional': 'פונקציונליות',
  'cat.analytics': 'ניתוח נתונים',
  'cat.replay': 'הקלטת הפעלה',
  'cat.marketing': 'שיווק',
};
