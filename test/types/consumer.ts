// Compiled against the *emitted* declarations (dist/types) with skipLibCheck
// off, as a customer's project would: errors here only show for users.
import { createTouchpoint, classifyChannel, type Touchpoint, type ConsentState, type Event, type Plugin } from 'touchpoint';
import { startReplay } from 'touchpoint/replay';
import { BatchRequest, ERROR_CODES, type ErrorCode } from 'touchpoint/protocol';

const tp: Touchpoint = createTouchpoint({ siteKey: 'k', consent: { mode: 'opt-out' } });
tp.track('Signed Up', { plan: 'pro' });
tp.identify('u', { email: 'a@b.c' }, { userHash: 'f'.repeat(64) });
const state: ConsentState = tp.consent.get();
const plugin: Plugin = { name: 'p', stage: 'enrichment', run: (e: Event) => e };
tp.use(plugin);
startReplay(tp);
const code: ErrorCode = 'invalid_body';
const status: number = ERROR_CODES[code].status;
const ch: string = classifyChannel({ source: 'google', medium: 'cpc' });
void [state, status, ch, BatchRequest];

// @ts-expect-error -- track needs an event name
tp.track();

// A typed event map: names and properties checked where the app tracks.
const shop = createTouchpoint<{ 'Order Completed': { revenue: number; currency: string }; 'Signed Up': { plan: 'free' | 'pro' } }>({ siteKey: 'k' });
shop.track('Order Completed', { revenue: 42, currency: 'EUR' });
shop.track('Signed Up', { plan: 'pro' });
// @ts-expect-error -- not an event of the map
shop.track('Order Complete', { revenue: 42, currency: 'EUR' });
// @ts-expect-error -- revenue is a number
shop.track('Order Completed', { revenue: '42', currency: 'EUR' });

// touchpoint/react and touchpoint/vue as an app compiles against them.
import { createElement } from 'react';
import { ChatLauncher, Survey, TouchpointProvider, useTouchpointEvent } from 'touchpoint/react';
import { touchpointPlugin, isTouchpointElement, useTouchpoint } from 'touchpoint/vue';
import { createApp } from 'vue';

createElement(TouchpointProvider, { touchpoint: tp }, createElement(ChatLauncher, { siteKey: 'k', onChatUnreadChange: (e) => void e.detail.count.toFixed() }));
createElement(Survey, { presentation: 'inline', onSurveyAnswer: (e) => void e.detail.questionId.trim() });
// @ts-expect-error -- the event's detail is typed: an unread count is a number
createElement(ChatLauncher, { onChatUnreadChange: (e) => void e.detail.count.trim() });
useTouchpointEvent('delivery', (result, count: number) => void [result.status, count]);
createApp({}).use(touchpointPlugin, tp);
const tag: boolean = isTouchpointElement('tp-survey');
const fromVue: Touchpoint = useTouchpoint();
void [tag, fromVue];
