import { hashSlot } from '../lib/hash-slot.js';
import type { SurveyDefinition } from '../protocol/survey.js';

/** What the SDK remembers per visitor (localStorage, under `KEYS.localStorage.surveys`). */
export interface SurveyMemory {
  /** Epoch ms of the last survey shown to this visitor, any survey: the global cooldown. */
  last?: number;
  /** Survey id → epoch ms it was last shown. */
  shown?: Record<string, number>;
  /** The session in which a survey was last shown: at most one per session. */
  session?: string;
}

export interface Visitor {
  anonymousId: string;
  userId?: string | null;
  traits?: Record<string, unknown>;
  sessionId?: string;
  path: string;
}

const DAY = 86_400_000;

/** The visitor's fixed sampling slot for a survey (docs/surveys.md: `FNV-1a(surveyId:anonymousId) / 2³²`). */
export const sampleSlot = (visitorId: string, surveyId: string): number => hashSlot(`${surveyId}:${visitorId}`);

/** `*` matches any run of characters; everything else is literal. The whole path must match. */
export const matchPath = (pattern: string, path: string): boolean =>
  new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(path);

/** Why a survey may not show now, or `undefined` when it may. */
export const ineligible = (def: SurveyDefinition, v: Visitor, memory: SurveyMemory, now: number): string | undefined => {
  const t = def.targeting;
  if (t?.url && !matchPath(t.url, v.path)) return 'url';
  if (t?.identified !== undefined && t.identified !== !!v.userId) return 'identified';
  for (const [k, want] of Object.entries(t?.traits ?? {})) if (v.traits?.[k] !== want) return 'traits';
  if (sampleSlot(v.anonymousId, def.id) >= (def.sampleRate ?? 1)) return 'sample';
  if (v.sessionId && memory.session === v.sessionId) return 'session';
  const cooldown = (def.cooldownDays ?? 14) * DAY;
  if (memory.last && now - memory.last < cooldown) return 'cooldown';
  const shown = memory.shown?.[def.id];
  if (shown && !def.repeat) return 'once';
  return undefined;
};
