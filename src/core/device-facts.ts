import type { Context } from '../protocol/context.js';
import { timezone } from '../lib/timezone.js';
import { botFlag } from './bot-flag.js';

/** What every event's context says about the device beyond page and screen. */
export type DeviceFacts = Pick<Context, 'timezone' | 'bot' | 'userAgentData'>;

/**
 * Facts about the device read once, after start-up, in a lazy chunk: the
 * time zone (computed off the main thread), whether the client looks
 * automated, and the browser's low-entropy client hints. Every event is
 * finished with them before it is stored (events wait for the landing touch
 * anyway), so the 6 KB core does not carry them.
 */
export const deviceFacts = async (): Promise<DeviceFacts> => ({
  timezone: await timezone(),
  bot: botFlag(),
  userAgentData: (navigator as { userAgentData?: { toJSON?(): Record<string, unknown> } }).userAgentData?.toJSON?.(),
});
