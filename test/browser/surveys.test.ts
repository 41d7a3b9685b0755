import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands, userEvent } from 'vitest/browser';
import '../../components/survey/survey.js';
import { createTouchpoint } from '../../src/index.js';
import { startSurveys, type Surveys } from '../../src/survey/start-surveys.js';
import type { SurveyDefinition } from '../../src/protocol/survey.js';
import type { Touchpoint } from '../../src/types.js';
import { until } from '../support/until.js';


const csat: SurveyDefinition = {
  id: 'support-csat',
  version: 1,
  trigger: { chatClosed: true },
  questions: [{ id: 'csat', type: 'csat' }],
};
const onPricing: SurveyDefinition = { id: 'pricing-nps', version: 1, trigger: { url: location.pathname, delayMs: 150 }, questions: [{ id: 'nps', type: 'nps' }] };
const onOrder: SurveyDefinition = { id: 'order-ces', version: 1, trigger: { event: 'Order Completed' }, questions: [{ id: 'ces', type: 'ces' }] };

let tp: Touchpoint;
let surveys: Surveys | undefined;
const start = async (defs: SurveyDefinition[], consent: 'none' | 'opt-in' = 'none') => {
  tp = createTouchpoint({ siteKey: 'demo', endpoint: await commands.serverUrl(), consent: { mode: consent }, autocapture: false, flushInterval: 50 });
  await tp.ready();
  surveys = startSurveys(tp, { surveys: defs });
  return tp;
};
const shown = () => document.querySelector('tp-survey');
/**
 * After a tracked call: `flush()` resolves once the event is built and emitted (the
 * triggers run on it), and one macrotask drains the promise jobs `show()` awaits —
 * a barrier on the cause, not a pause hoping the effect is done.
 */
const decided = async () => {
  await tp.flush();
  await new Promise((r) => setTimeout(r));
};

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});
afterEach(() => {
  surveys?.stop();
  document.querySelectorAll('tp-survey').forEach((e) => e.remove());
});

describe('survey triggers with the SDK', () => {
  it('asks CSAT when an agent closes the chat, and the answer carries the conversation and session', async () => {
    await start([csat]);
    document.dispatchEvent(new CustomEvent('tp-chat-conversation-close', { detail: { conversationId: 'conv-42' } }));
    await until(() => !!shown()?.shadowRoot?.querySelector('input'));
    await userEvent.click(shown()!.shadowRoot!.querySelector<HTMLInputElement>('input[value="4"]')!);
    await tp.flush();
    await until(async () => (await commands.storedItems(tp.anonymousId)).answers.length === 1);
    expect((await commands.storedItems(tp.anonymousId)).answers).toEqual([
      { survey_id: 'support-csat', question_id: 'csat', value: 4, session_id: tp.sessionId, conversation_id: 'conv-42' },
    ]);
  });

  it('asks on a matching page only after the delay', async () => {
    await start([onPricing]);
    const armed = performance.now();
    expect(shown()).toBeNull();
    await until(() => !!shown());
    // The timer is armed after `start` returns, so with the delay honoured this is at least 150 ms.
    expect(performance.now() - armed).toBeGreaterThanOrEqual(150);
    expect(shown()!.definition!.id).toBe('pricing-nps');
  });

  it('asks on a tracked event of this session, once', async () => {
    await start([onOrder]);
    tp.track('Order Completed');
    await until(() => !!shown());
    shown()!.remove();
    tp.track('Order Completed');
    await decided();
    expect(shown()).toBeNull();
  });

  it('never asks without analytics consent, and stores nothing about it', async () => {
    await start([onOrder], 'opt-in');
    tp.track('Order Completed');
    expect(await surveys!.show('order-ces')).toBe(false);
    expect(shown()).toBeNull();
    expect(localStorage.getItem('tp:v1:surveys')).toBeNull();
  });

  it('gives inline elements placed by the page their definition', async () => {
    const inline = Object.assign(document.createElement('tp-survey'), {});
    inline.setAttribute('survey-id', 'order-ces');
    document.body.append(inline);
    await start([{ ...onOrder, presentation: 'inline' }]);
    await until(() => inline.definition?.id === 'order-ces');
    tp.track('Order Completed');
    await decided();
    // Inline surveys never pop up a second copy.
    expect(document.querySelectorAll('tp-survey')).toHaveLength(1);
  });

  it('gives an inline element connected later its definition through the SDK it is given (sdk property), never a global', async () => {
    await start([{ ...onOrder, presentation: 'inline' }]);
    expect((globalThis as { touchpoint?: unknown }).touchpoint).toBeUndefined();
    // startSurveys makes the SDK's `survey` the running surveys, for the page and for elements.
    expect(tp.survey).toBe(surveys);
    const given = Object.assign(document.createElement('tp-survey'), { sdk: tp });
    given.setAttribute('survey-id', 'order-ces');
    const alone = document.createElement('tp-survey');
    alone.setAttribute('survey-id', 'order-ces');
    document.body.append(given, alone);
    await until(() => given.definition?.id === 'order-ces');
    // Without an SDK and with no script tag's on the page, an element has nowhere to ask.
    await decided();
    expect(alone.definition).toBeUndefined();
  });
});
