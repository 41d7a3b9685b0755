import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import '../../../components/survey/survey.js';
import type { SurveyAnswerDetail, TpSurvey } from '../../../components/survey/survey.js';
import type { SurveyDefinition } from '../../../src/protocol/survey.js';
import { axeViolations } from '../axe.js';

const CES: SurveyDefinition = {
  id: 'checkout-ces',
  version: 2,
  brand: 'Acme',
  task: 'check out',
  questions: [
    { id: 'effort', type: 'ces' },
    { id: 'why', type: 'text', prompt: 'What made it hard?', showIf: { question: 'effort', max: 3 } },
  ],
};

const mount = async (props: Partial<TpSurvey> = {}) => {
  const el = document.createElement('tp-survey');
  Object.assign(el, { definition: CES, ...props });
  document.body.append(el);
  await el.updateComplete;
  return el;
};
const root = (el: TpSurvey) => el.shadowRoot!;
const answers = (el: TpSurvey) => {
  const got: SurveyAnswerDetail[] = [];
  el.addEventListener('tp-survey-answer', (e) => got.push(e.detail));
  return got;
};
const radio = (el: TpSurvey, value: string) => root(el).querySelector<HTMLInputElement>(`input[value="${value}"]`)!;

beforeEach(() => {
  document.documentElement.lang = 'en';
});
afterEach(() => document.querySelectorAll('tp-survey').forEach((e) => e.remove()));

describe('<tp-survey>', () => {
  it('asks the CES 2.0 statement with the brand and task, on a 7-point agreement scale', async () => {
    const el = await mount();
    expect(root(el).querySelector('legend')!.textContent).toBe('Acme made it easy for me to check out.');
    const points = [...root(el).querySelectorAll<HTMLInputElement>('input[type=radio]')];
    expect(points.map((p) => p.value)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(points[0]!.getAttribute('aria-label')).toBe('1 – Strongly disagree');
    expect(points[6]!.getAttribute('aria-label')).toBe('7 – Strongly agree');
  });

  it('is accessible (scale step and follow-up step)', async () => {
    const el = await mount();
    expect(await axeViolations(el)).toEqual([]);
    await userEvent.click(radio(el, '2'));
    await el.updateComplete;
    expect(root(el).querySelector('textarea')).not.toBeNull();
    expect(await axeViolations(el)).toEqual([]);
  });

  it('is accessible as a floating card', async () => {
    const el = await mount({ presentation: 'floating', open: true });
    expect(root(el).querySelector('[part=card]')!.getAttribute('role')).toBe('dialog');
    expect(await axeViolations(el)).toEqual([]);
  });

  it('sends each answer as it is given, then asks the follow-up only for a low score', async () => {
    const el = await mount();
    const got = answers(el);
    await userEvent.click(radio(el, '2'));
    await el.updateComplete;
    expect(got).toEqual([{ responseId: el.responseId, surveyId: 'checkout-ces', surveyVersion: 2, questionId: 'effort', value: 2, locale: 'en' }]);
    expect(root(el).querySelector('#prompt')!.textContent).toBe('What made it hard?');
    await userEvent.type(root(el).querySelector('textarea')!, 'The coupon field kept resetting');
    await userEvent.click([...root(el).querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Submit')!);
    await el.updateComplete;
    expect(got[1]).toMatchObject({ questionId: 'why', value: 'The coupon field kept resetting', final: true });
    expect(root(el).querySelector('[part=thanks]')!.textContent!.trim()).toBe('Thank you for your feedback!');
  });

  it('skips the follow-up for an easy experience and finishes on that answer', async () => {
    const el = await mount();
    const got = answers(el);
    let completed = false;
    el.addEventListener('tp-survey-complete', () => (completed = true));
    await userEvent.click(radio(el, '6'));
    await el.updateComplete;
    expect(got).toEqual([expect.objectContaining({ questionId: 'effort', value: 6, final: true })]);
    expect(completed).toBe(true);
  });

  it('is keyboard-first: arrow keys move the choice without sending, Enter sends', async () => {
    const el = await mount();
    const got = answers(el);
    radio(el, '4').focus();
    await userEvent.keyboard('{ArrowRight}');
    expect(radio(el, '5').checked).toBe(true);
    expect(got).toEqual([]);
    await userEvent.keyboard('{Enter}');
    await el.updateComplete;
    expect(got).toEqual([expect.objectContaining({ value: 5, final: true })]);
  });

  it('refuses to move on without an answer to a required question, and says why', async () => {
    const el = await mount();
    const got = answers(el);
    await userEvent.click(root(el).querySelector<HTMLButtonElement>('button[type=submit]')!);
    await el.updateComplete;
    expect(got).toEqual([]);
    expect(root(el).querySelector('[role=alert]')!.textContent).toBe('Please choose an answer.');
  });

  it('records a dismissal when a floating survey is closed early, and hides', async () => {
    const el = await mount({ presentation: 'floating', open: true });
    const got = answers(el);
    let hidden = false;
    el.addEventListener('tp-survey-hide', () => (hidden = true));
    await userEvent.click(root(el).querySelector<HTMLButtonElement>('[part=close]')!);
    await el.updateComplete;
    expect(got).toEqual([expect.objectContaining({ questionId: '$dismissed', final: true })]);
    expect(hidden).toBe(true);
    expect(el.open).toBe(false);
    expect(root(el).querySelector('[part=card]')).toBeNull();
  });

  it('asks NPS 0–10, "would you miss us" and multiple choice with their own controls', async () => {
    const el = await mount({
      definition: {
        id: 'mix',
        version: 1,
        questions: [
          { id: 'nps', type: 'nps' },
          { id: 'miss', type: 'miss' },
          { id: 'why', type: 'multi', options: [{ id: 'price', label: 'Price' }, { id: 'speed', label: 'Speed' }] },
        ],
      },
    });
    const got = answers(el);
    expect(root(el).querySelectorAll('input[type=radio]')).toHaveLength(11);
    await userEvent.click(radio(el, '9'));
    await el.updateComplete;
    expect([...root(el).querySelectorAll('.option')].map((o) => o.textContent!.trim())).toEqual(['Very disappointed', 'Somewhat disappointed', 'Not disappointed']);
    await userEvent.click(radio(el, 'very'));
    await el.updateComplete;
    await userEvent.click(radio(el, 'price'));
    await userEvent.click(radio(el, 'speed'));
    await userEvent.click([...root(el).querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Submit')!);
    expect(got.map((a) => a.value)).toEqual([9, 'very', ['price', 'speed']]);
  });

  it('speaks the page language, right to left where it must', async () => {
    document.documentElement.lang = 'ar';
    const el = await mount({ definition: { id: 'n', version: 1, questions: [{ id: 'q', type: 'csat' }] } });
    const card = root(el).querySelector('[part=card]')!;
    expect(card.getAttribute('dir')).toBe('rtl');
    expect(root(el).querySelector('legend')!.textContent).toBe('ما مدى رضاك عن هذا الموقع؟');
    el.locale = 'zh-TW';
    await el.updateComplete;
    expect(root(el).querySelector('legend')!.textContent).toBe('您對本網站的滿意度如何？');
  });

  describe('in languages of its own', () => {
    const MULTI: SurveyDefinition = {
      ...CES,
      questions: [...CES.questions, { id: 'pick', type: 'single', options: [{ id: 'price', label: 'Price' }, { id: 'speed', label: 'Speed' }] }],
      thankYou: 'Thanks!',
      translations: {
        'zh-Hant': { brand: '愛客', task: '結帳', questions: { why: { prompt: '哪裡不容易？' }, pick: { options: { price: '價格' } } }, thankYou: '謝謝！' },
        'zh-Hans': { brand: '爱客', task: '结账' },
        ar: { brand: 'أكمي', task: 'الدفع', questions: { why: { prompt: 'ما الذي جعله صعبًا؟' } }, thankYou: 'شكرًا!' },
        ro: { task: 'plătesc' },
      },
    };
    const legend = (el: TpSurvey) => root(el).querySelector('legend')!.textContent;
    const card = (el: TpSurvey) => root(el).querySelector('[part=card]')!;

    it("shows the visitor's best language: zh-TW reads the Traditional translation, zh the Simplified, en-GB the default", async () => {
      document.documentElement.lang = 'zh-TW';
      const el = await mount({ definition: MULTI });
      expect(legend(el)).toBe('愛客讓我能輕鬆地結帳。');
      expect(card(el).getAttribute('lang')).toBe('zh-Hant');
      el.locale = 'zh';
      await el.updateComplete;
      expect(card(el).getAttribute('lang')).toBe('zh-Hans');
      expect(legend(el)).toContain('爱客');
      el.locale = 'en-GB';
      await el.updateComplete;
      expect(card(el).getAttribute('lang')).toBe('en');
      expect(legend(el)).toBe('Acme made it easy for me to check out.');
    });

    it('translates follow-ups, choices and the thank-you, keeps untranslated labels in the default language, and records the language on each answer', async () => {
      const el = await mount({ definition: MULTI, locale: 'zh-Hant-HK' });
      const got = answers(el);
      await userEvent.click(radio(el, '2'));
      await el.updateComplete;
      expect(root(el).querySelector('#prompt')!.textContent).toBe('哪裡不容易？');
      expect([...root(el).querySelectorAll('button')].map((b) => b.textContent!.trim())).toContain('下一步');
      await userEvent.click([...root(el).querySelectorAll('button')].find((b) => b.textContent!.trim() === '下一步')!);
      await el.updateComplete;
      expect([...root(el).querySelectorAll('.option span')].map((s) => s.textContent)).toEqual(['價格', 'Speed']);
      // A pointer pick of a single choice sends it at once (the last question: the thank-you follows).
      await userEvent.click(radio(el, 'price'));
      await el.updateComplete;
      expect(root(el).querySelector('[part=thanks]')!.textContent!.trim()).toBe('謝謝！');
      expect(got.map((a) => [a.questionId, a.locale])).toEqual([['effort', 'zh-Hant'], ['why', 'zh-Hant'], ['pick', 'zh-Hant']]);
    });

    it("falls back to the survey's default language, its buttons too, when none of the visitor's languages fits", async () => {
      document.documentElement.lang = 'de';
      const el = await mount({ definition: { ...MULTI, defaultLanguage: 'ro', brand: 'Acme', task: 'plătesc', translations: { ar: MULTI.translations!.ar! } } });
      expect(card(el).getAttribute('lang')).toBe('ro');
      expect(card(el).getAttribute('dir')).toBe('ltr');
      // The Romanian table's own statement and scale labels, not the German page's nor English.
      expect(legend(el)).toBe('Acme mi-a făcut ușor să plătesc.');
      const got = answers(el);
      el.dismiss();
      expect(got[0]).toMatchObject({ questionId: '$dismissed', locale: 'ro' });
    });

    it('takes the language from its own lang attribute, and is right to left and accessible in Arabic, at 320 px too', async () => {
      const el = document.createElement('tp-survey');
      el.setAttribute('lang', 'ar-EG');
      Object.assign(el, { definition: MULTI });
      document.body.append(el);
      await el.updateComplete;
      expect(card(el).getAttribute('lang')).toBe('ar');
      expect(card(el).getAttribute('dir')).toBe('rtl');
      expect(legend(el)).toContain('أكمي');
      expect(await axeViolations(el)).toEqual([]);
      await userEvent.click(radio(el, '1'));
      await el.updateComplete;
      expect(root(el).querySelector('#prompt')!.textContent).toBe('ما الذي جعله صعبًا؟');
      expect(await axeViolations(el)).toEqual([]);
    });
  });

  it('announces every point of a scale with its meaning, not a bare number', async () => {
    const el = await mount();
    const labels = [...root(el).querySelectorAll('input[type=radio]')].map((p) => p.getAttribute('aria-label'));
    expect(labels).toEqual([
      '1 – Strongly disagree',
      '2 – Disagree',
      '3 – Somewhat disagree',
      '4 – Neither agree nor disagree',
      '5 – Somewhat agree',
      '6 – Agree',
      '7 – Strongly agree',
    ]);
    el.definition = { id: 'n', version: 1, questions: [{ id: 'q', type: 'nps' }] };
    await el.updateComplete;
    const nps = [...root(el).querySelectorAll('input[type=radio]')].map((p) => p.getAttribute('aria-label'));
    expect([nps[0], nps[5], nps[10]]).toEqual(['0 – Not at all likely', '5 out of 10', '10 – Extremely likely']);
  });

  it('isolates the site\'s brand and task in the prompt from the sentence\'s direction', async () => {
    document.documentElement.lang = 'he';
    const el = await mount();
    const bdi = [...root(el).querySelectorAll('legend bdi')].map((b) => b.textContent);
    expect(bdi).toEqual(['Acme', 'check out']);
  });

  it('takes focus when it floats in, and gives it back to where it was when dismissed', async () => {
    const before = document.body.appendChild(document.createElement('button'));
    before.textContent = 'Checkout';
    before.focus();
    try {
      const el = await mount({ presentation: 'floating', open: true });
      expect(root(el).activeElement).toBe(root(el).querySelector('[part=card]'));
      // The card, not a choice: no key press answers by accident.
      expect(root(el).querySelector('input:checked')).toBeNull();
      await userEvent.keyboard('{Escape}');
      expect(el.open).toBe(false);
      await el.updateComplete;
      expect(document.activeElement).toBe(before);
    } finally {
      before.remove();
    }
  });

  it('never takes focus from a field the visitor is typing in: it waits in the tab order', async () => {
    const field = document.body.appendChild(document.createElement('input'));
    field.setAttribute('aria-label', 'Coupon');
    field.focus();
    try {
      const el = await mount({ presentation: 'floating', open: true });
      await userEvent.keyboard('SAVE10');
      expect(document.activeElement).toBe(field);
      expect(field.value).toBe('SAVE10');
      expect(root(el).querySelector('[part=card]')!.getAttribute('role')).toBe('dialog');
      el.dismiss();
      await el.updateComplete;
      expect(document.activeElement).toBe(field);
    } finally {
      field.remove();
    }
  });

  it('gives focus to the page\'s main content, not <body>, when the element it came from is gone', async () => {
    const main = document.body.appendChild(document.createElement('main'));
    const before = main.appendChild(document.createElement('button'));
    before.focus();
    try {
      const el = await mount({ presentation: 'floating', open: true });
      before.remove();
      await userEvent.click(root(el).querySelector<HTMLButtonElement>('[part=close]')!);
      await el.updateComplete;
      expect(document.activeElement).toBe(main);
    } finally {
      main.remove();
    }
  });

  it('can be themed through custom properties and parts', async () => {
    const el = await mount();
    el.style.setProperty('--tp-color-accent', 'rgb(1, 2, 3)');
    await userEvent.click(radio(el, '1'));
    // Still on the follow-up step: check the primary button takes the accent.
    const btn = root(el).querySelector<HTMLButtonElement>('button[type=submit]')!;
    expect(getComputedStyle(btn).backgroundColor).toBe('rgb(1, 2, 3)');
    expect(btn.getAttribute('part')).toBe('button');
  });
});
