import type { enChat } from './en.js';

/** 繁體中文. */
export const strings: Record<keyof typeof enChat, string> = {
  chatOpen: "與我們聊天",
  chatOpenUnread: "與我們聊天，{n} 則未讀",
  chatTitle: "線上聊天",
  chatClose: "關閉聊天",
  chatPlaceholder: "輸入訊息…",
  chatSend: "傳送",
  chatYou: "你",
  chatAssistant: "助理",
  chatSending: "傳送中…",
  chatFailed: "未傳送。",
  chatRetry: "重試",
  chatTyping: "{name} 正在輸入…",
  chatSomeone: "有人",
  chatHuman: "轉真人客服",
  chatWaiting: "正在等待客服加入…",
  chatWith: "正在與 {name} 聊天",
  chatEmailLabel: "你的電子郵件",
  chatEmailSend: "傳送",
  chatEmailThanks: "謝謝——我們會回覆到 {email}。",
  chatClosed: "此對話已結束。再次傳送訊息即可重新開啟。",
  chatMessages: "訊息",
  chatOnline: "我們在線上，通常幾分鐘內回覆。",
  chatHours: "服務時間：{hours}",
  chatSeen: "已讀",
};
