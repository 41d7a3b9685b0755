import type { enChat } from './en.js';

/** 简体中文. */
export const strings: Record<keyof typeof enChat, string> = {
  chatOpen: "与我们聊天",
  chatOpenUnread: "与我们聊天，{n} 条未读",
  chatTitle: "在线聊天",
  chatClose: "关闭聊天",
  chatPlaceholder: "输入消息…",
  chatSend: "发送",
  chatYou: "你",
  chatAssistant: "助手",
  chatSending: "发送中…",
  chatFailed: "未发送。",
  chatRetry: "重试",
  chatTyping: "{name} 正在输入…",
  chatSomeone: "有人",
  chatHuman: "转人工",
  chatWaiting: "正在等待客服加入…",
  chatWith: "正在与 {name} 聊天",
  chatEmailLabel: "你的邮箱",
  chatEmailSend: "发送",
  chatEmailThanks: "谢谢——我们会回复到 {email}。",
  chatClosed: "此对话已结束。再次发送消息即可重新开启。",
  chatMessages: "消息",
  chatOnline: "我们在线，通常几分钟内回复。",
  chatHours: "服务时间：{hours}",
  chatSeen: "已读",
};
