import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { TouchpointElement } from '../internal/touchpoint-element.js';
import { componentStyles } from '../internal/component.styles.js';
import { deepActive, FocusReturn } from '../internal/focus-return.js';
import { directionOf, loadStrings, pageLocale, resolveLocale, translate, type Strings } from '../i18n/i18n.js';
import { formatIsolated } from '../i18n/format-isolated.js';
import { enSurvey } from '../i18n/survey/en.js';
import { surveyLocales } from '../i18n/survey/locales.js';
import { SCALES, type Question, type SurveyDefinition } from 'touchpoint/protocol';
import { sdkFor, uuidv7 } from 'touchpoint/host';
import type { Touchpoint } from 'touchpoint';
import { pickLanguage } from './pick-language.js';
import styles from './survey.styles.js';

/** One answer as the element emits it; the SDK adds visitor, page, session and time. */
export interface SurveyAnswerDetail {
  responseId: string;
  surveyId: string;
  surveyVersion: number;
  questionId: string;
  value?: number | string | string[];
  final?: boolean;
  conversationId?: string;
  /** The language the survey showed in (the card's `lang`). */
  locale: string;
}

type Value = number | string | string[];

/** Default prompt and scale-end labels of each type (string keys). */
const TYPE_TEXT: Record<string, [prompt: string, low?: string, high?: string]> = {
  ces: ['surveyCes', 'surveyCesLow', 'surveyCesHigh'],
  csat: ['surveyCsat', 'surveyCsatLow', 'surveyCsatHigh'],
  nps: ['surveyNps', 'surveyLikelyLow', 'surveyLikelyHigh'],
  cli_buy: ['surveyCliBuy', 'surveyLikelyLow', 'surveyLikelyHigh'],
  cli_try: ['surveyCliTry', 'surveyLikelyLow', 'surveyLikelyHigh'],
  miss: ['surveyMiss'],
  text: ['surveyText'],
};
/** Labels of the points between the ends, where the scale has them; other points read "{n} out of {max}". */
const MIDDLE: Record<string, string[]> = {
  ces: ['surveyCesDisagree', 'surveyCesSomewhatDisagree', 'surveyCesNeutral', 'surveyCesSomewhatAgree', 'surveyCesAgree'],
  csat: ['surveyCsatDissatisfied', 'surveyCsatNeutral', 'surveyCsatSatisfied'],
};
const MISS = [
  ['very', 'surveyMissVery'],
  ['somewhat', 'surveyMissSomewhat'],
  ['not', 'surveyMissNot'],
] as const;

/** Whether the visitor is typing somewhere (a field, an editor): a survey must not take focus from there. */
const typing = (): boolean => {
  const a = deepActive();
  return a instanceof HTMLElement && (a.isContentEditable || a.matches('input:not([type=button],[type=submit],[type=checkbox],[type=radio]), textarea, select'));
};

/** Whether `q` applies given the answers so far (its `showIf` condition). */
const applies = (q: Question, answers: Record<string, Value>): boolean => {
  const c = q.showIf;
  if (!c) return true;
  const a = answers[c.question];
  if (a === undefined) return false;
  if (c.in) return c.in.includes(String(a));
  return (c.max === undefined || +a <= c.max) && (c.min === undefined || +a >= c.min);
};

/**
 * @summary A micro-survey: CES 2.0, CSAT, NPS, the loyalty index questions, "would you miss us", choices and
 * open text, one question at a time, with conditional follow-ups and a thank-you step. Floating (corner card)
 * or inline where the page places it. A floating survey takes focus on its card when it appears (unless the visitor
 * is typing in a field: then it waits in the tab order) and gives it back when it closes (to where it was, else to
 * the page's `<main>`); on a phone it sits above the chat launcher, and it
 * yields while the chat panel is open over it.
 *
 * @event tp-survey-show - The survey became visible: `detail` is `{ responseId }`.
 * @event tp-survey-answer - One answer, sent as soon as it is given: `detail` is a `SurveyAnswerDetail`.
 * @event tp-survey-complete - The last question was answered: `detail` is `{ responseId, answers }`.
 * @event tp-survey-dismiss - The visitor closed the survey before finishing: `detail` is `{ responseId }`.
 * @event tp-survey-hide - A floating survey closed (finished or dismissed).
 *
 * @slot thanks - Replaces the thank-you text.
 *
 * @csspart card - The survey's box.
 * @csspart prompt - The question text.
 * @csspart scale - The row of score choices.
 * @csspart choice - One score or option.
 * @csspart ends - The labels under the two ends of a scale.
 * @csspart text - The open-text field.
 * @csspart button - The Next / Submit / Skip buttons.
 * @csspart close - The close button.
 * @csspart thanks - The thank-you step.
 *
 * @cssproperty --tp-color-accent - Selected choices and the main button.
 * @cssproperty --tp-color-surface - Background of the card.
 * @cssproperty --tp-color-text - Text colour.
 * @cssproperty --tp-color-border - Borders.
 * @cssproperty --tp-radius - Corner radius.
 * @cssproperty --tp-font-family - Font stack.
 * @cssproperty --tp-z-index - Base stacking layer shared by all Touchpoint elements.
 * @cssproperty --tp-survey-width - Width of the floating card on wide screens.
 * @cssproperty --tp-survey-inset - Distance of the floating card from the viewport's corner.
 * @cssproperty --tp-chat-offset - Set on `<html>` by `<tp-chat-launcher>`: the height its button takes; a floating card on a phone sits above it.
 * @cssproperty --tp-consent-offset - Set on `<html>` by `<tp-consent-banner>` while it shows; the floating card sits above it.
 */
export class TpSurvey extends TouchpointElement {
  static override styles = [componentStyles, styles];

  static override properties = {
    definition: { type: Object },
    surveyId: { attribute: 'survey-id' },
    presentation: { reflect: true },
    open: { type: Boolean, reflect: true },
    locale: {},
    strings: { type: Object },
    conversationId: { attribute: 'conversation-id' },
    sdk: { attribute: false },
    _step: { state: true },
    _answers: { state: true },
    _error: { state: true },
    _t: { state: true },
  };

  /** The survey to show. With the SDK, `survey-id` is enough: the definition comes from the site config. */
  declare definition: SurveyDefinition | undefined;
  /** Id of a survey in the site config (used with the SDK). */
  declare surveyId: string | undefined;
  /** `inline` (default: where the page put the element) or `floating` (a corner card, shown while `open`). */
  declare presentation: 'inline' | 'floating';
  /** Whether a floating survey shows. Inline surveys always show. */
  declare open: boolean;
  /**
   * Language (BCP 47); defaults to the nearest `lang` attribute (`<html lang>`), then the browser's. A survey with
   * languages of its own (`defaultLanguage`, `translations`) shows in the best of them, else its default.
   */
  declare locale: string | undefined;
  /** Per-site overrides of any string. */
  declare strings: Partial<Strings>;
  /** The chat conversation that led to this survey, carried on each answer. */
  declare conversationId: string | undefined;
  /** The SDK whose surveys give `survey-id` its definition; by default the script tag's `window.touchpoint` once it runs (`sdkFor`, touchpoint/host). */
  declare sdk: Touchpoint | undefined;
  /** Id of this showing; every answer carries it (idempotent per question). */
  responseId: string = uuidv7();

  declare private _step: string | 'done' | undefined;
  declare private _answers: Record<string, Value>;
  declare private _error: boolean;
  declare private _t: Strings;
  /** The language shown: a tag of the survey's own languages, else the page's. */
  private _shown = '';
  private _strings: Promise<unknown> = Promise.resolve();
  /** Set by pointerdown: a pointer pick of a score advances at once; arrow keys only move the selection. */
  private _pointer = false;
  /** Whether `tp-survey-show` was sent for the current showing. */
  private _announced = false;
  private readonly _focus = new FocusReturn();

  constructor() {
    super();
    this.presentation = 'inline';
    this.open = false;
    this.strings = {};
    this._answers = {};
    this._error = false;
    this._t = enSurvey as Strings;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The stacking contract: an open chat panel covers the corner of a phone, and a floating survey yields to it.
    this.toggleAttribute('data-chat-open', !!document.querySelector('tp-chat-launcher[open]'));
    document.addEventListener('tp-chat-open', this._onChat);
    document.addEventListener('tp-chat-close', this._onChat);
    if (!this.definition && this.surveyId) {
      // Inline element with the SDK's surveys running: the definition comes from the site config.
      void sdkFor(this.sdk)
        ?.survey?.definition?.(this.surveyId)
        .then((d) => d && !this.definition && (this.definition = d), () => {});
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('tp-chat-open', this._onChat);
    document.removeEventListener('tp-chat-close', this._onChat);
  }

  private readonly _onChat = (e: Event) => this.toggleAttribute('data-chat-open', e.type === 'tp-chat-open');

  protected override willUpdate(changed: PropertyValues<this>): void {
    const shown = changed.has('locale') || changed.has('definition') || !this.hasUpdated ? this._language() : this._shown;
    if (shown !== this._shown) this._strings = loadStrings((this._shown = shown), enSurvey, surveyLocales).then((t) => (this._t = t));
    if (changed.has('definition') && this.definition) {
      // A different survey is a new showing.
      if (changed.get('definition')) this.responseId = uuidv7();
      this._answers = {};
      this._step = this._next(-1);
    }
  }

  /** Resolves once rendered in the right language (other languages are lazy chunks). */
  protected override async getUpdateComplete(): Promise<boolean> {
    await super.getUpdateComplete();
    await this._strings;
    return super.getUpdateComplete();
  }

  // Untyped map: `_step` is private state, which `PropertyValues<this>` cannot name.
  protected override updated(changed: PropertyValues): void {
    if (changed.has('definition')) this._announced = false;
    if (this._visible !== this._announced) {
      this._announced = this._visible;
      if (this._visible) {
        // A floating card appears on its own, over the page: it takes focus (on the card, not a choice) so
        // keyboard and screen-reader users meet it, and gives it back when it goes — unless the visitor is
        // typing: then it only offers itself (next in the tab order), never moving focus under their keys.
        if (this.presentation === 'floating' && !typing()) this._focus.take(this.renderRoot.querySelector<HTMLElement>('.card')!);
        this.emit('tp-survey-show', { responseId: this.responseId });
      } else this._focus.give(this);
    }
    // After an answer, focus follows to the next step (never on first show inline: a micro-survey in the page must not steal focus).
    if (changed.has('_step') && changed.get('_step') !== undefined) this.renderRoot.querySelector<HTMLElement>('.step')?.focus();
  }

  private get _visible() {
    return !!this.definition && (this.presentation === 'inline' || this.open);
  }

  private get _lang() {
    return this.locale ?? this.closest('[lang]')?.getAttribute('lang') ?? pageLocale();
  }

  /** Whether the survey names its languages: then it shows only in them, its built-in texts too. */
  private get _own() {
    const d = this.definition;
    return !!d && (!!d.defaultLanguage || !!d.translations);
  }

  /** The visitor's best of the survey's languages (else its default), or for a survey without languages the page's. */
  private _language(): string {
    const d = this.definition;
    if (!d || !this._own) return this._lang;
    const own = d.defaultLanguage ?? 'en';
    return pickLanguage([own, ...Object.keys(d.translations ?? {})], [this._lang, ...navigator.languages]) ?? own;
  }

  /** The translation shown, if any (the default language has none). */
  private get _tr() {
    return this._own ? this.definition?.translations?.[this._shown] : undefined;
  }

  /** The value of `lang` on the card, recorded with each answer. */
  private get _langTag() {
    return this._own ? this._shown : resolveLocale(this._shown);
  }

  private _s(key: string, vars?: Record<string, string | number>): string {
    return translate(this.strings, this._t, key, vars);
  }

  /** Id of the first applicable question after index `i`, or `done`. */
  private _next(i: number): string {
    const qs = this.definition?.questions ?? [];
    for (let j = i + 1; j < qs.length; j++) if (applies(qs[j]!, this._answers)) return qs[j]!.id;
    return 'done';
  }

  private get _question(): Question | undefined {
    return this.definition?.questions.find((q) => q.id === this._step);
  }

  private _required(q: Question) {
    return q.required ?? q.type !== 'text';
  }

  /** Reads the current step's form value. */
  private _value(q: Question): Value | undefined {
    const form = this.renderRoot.querySelector('form');
    if (!form) return undefined;
    if (q.type === 'text') return (form.querySelector('textarea')?.value ?? '').trim() || undefined;
    const picked = [...form.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
    if (q.type === 'multi') return picked.length ? picked : undefined;
    const v = picked[0];
    return v === undefined ? undefined : SCALES[q.type] ? Number(v) : v;
  }

  /** Emits the step's answer (only the new one) and moves on. */
  private _submit(skip = false) {
    const q = this._question;
    const def = this.definition;
    if (!q || !def) return;
    const value = skip ? undefined : this._value(q);
    if (value === undefined && this._required(q)) {
      this._error = true;
      return;
    }
    this._error = false;
    if (value !== undefined) this._answers = { ...this._answers, [q.id]: value };
    const next = this._next(def.questions.indexOf(q));
    const detail: SurveyAnswerDetail = {
      responseId: this.responseId,
      surveyId: def.id,
      surveyVersion: def.version,
      questionId: q.id,
      ...(value !== undefined ? { value } : {}),
      ...(next === 'done' ? { final: true } : {}),
      ...(this.conversationId ? { conversationId: this.conversationId } : {}),
      locale: this._langTag,
    };
    this.emit('tp-survey-answer', detail);
    this._step = next;
    if (next === 'done') this.emit('tp-survey-complete', { responseId: this.responseId, answers: this._answers });
  }

  /** Closes the survey; before the end this records a dismissal. */
  dismiss(): void {
    const def = this.definition;
    if (def && this._step !== 'done') {
      this.emit('tp-survey-answer', {
        responseId: this.responseId,
        surveyId: def.id,
        surveyVersion: def.version,
        questionId: '$dismissed',
        final: true,
        ...(this.conversationId ? { conversationId: this.conversationId } : {}),
        locale: this._langTag,
      } satisfies SurveyAnswerDetail);
      this.emit('tp-survey-dismiss', { responseId: this.responseId });
    }
    this._close();
  }

  private _close() {
    if (this.presentation !== 'floating') return;
    this.open = false;
    this.emit('tp-survey-hide');
  }

  private _onChange(q: Question) {
    this._error = false;
    if (this._pointer && q.type !== 'multi' && q.type !== 'text') this._submit();
    this._pointer = false;
  }

  private _scale(q: Question, [min, max]: readonly [number, number]): TemplateResult {
    const [, low, high] = TYPE_TEXT[q.type] ?? [];
    const points = Array.from({ length: max - min + 1 }, (_, i) => min + i);
    // Every point is announced with a meaning, not a bare number.
    const label = (n: number) => {
      const key = n === min ? low : n === max ? high : MIDDLE[q.type]?.[n - min - 1];
      return key ? `${n} – ${this._s(key)}` : this._s('surveyPointOf', { n, max });
    };
    // A data attribute, not an inline style: strict-CSP pages block style attributes.
    return html`<div class="scale" part="scale" data-points=${points.length}>
        ${points.map(
          (n) => html`<label class="point" part="choice">
            <input type="radio" name="v" value=${n} aria-label=${label(n)} />
            <span aria-hidden="true">${n}</span>
          </label>`,
        )}
      </div>
      ${low && high ? html`<div class="ends" part="ends" aria-hidden="true"><span data-n=${min}>${this._s(low)}</span><span data-n=${max}>${this._s(high)}</span></div>` : nothing}`;
  }

  private _options(q: Question): TemplateResult {
    const labels = this._tr?.questions?.[q.id]?.options;
    const opts = q.type === 'miss' ? MISS.map(([id, key]) => ({ id, label: this._s(key) })) : (q.options ?? []).map((o) => ({ id: o.id, label: labels?.[o.id] ?? o.label }));
    const type = q.type === 'multi' ? 'checkbox' : 'radio';
    return html`<div class="options">
      ${opts.map((o) => html`<label class="option" part="choice"><input type=${type} name="v" value=${o.id} /><span>${o.label}</span></label>`)}
    </div>`;
  }

  private _body(q: Question): TemplateResult {
    const def = this.definition!;
    const tr = this._tr;
    const vars = { brand: tr?.brand ?? def.brand ?? this._s('surveyBrand'), task: tr?.task ?? def.task ?? this._s('surveyTask') };
    // The brand and task are the site's words, isolated from the sentence's direction.
    const prompt = formatIsolated(tr?.questions?.[q.id]?.prompt ?? q.prompt ?? this._s(TYPE_TEXT[q.type]?.[0] ?? 'surveyText'), vars);
    const scale = SCALES[q.type];
    const last = this._next(def.questions.indexOf(q)) === 'done';
    const input =
      q.type === 'text'
        ? html`<textarea part="text" rows="3" maxlength="5000" aria-labelledby="prompt" placeholder=${this._s('surveyTextPlaceholder')}></textarea>`
        : scale
          ? this._scale(q, scale)
          : this._options(q);
    const group = q.type === 'text' ? 'div' : 'fieldset';
    return html`<form
      class="step"
      tabindex="-1"
      novalidate
      @submit=${(e: Event) => {
        e.preventDefault();
        this._submit();
      }}
      @pointerdown=${() => (this._pointer = true)}
      @keydown=${(e: KeyboardEvent) => {
        this._pointer = false;
        if (e.key === 'Enter' && !(e.target instanceof HTMLTextAreaElement && e.shiftKey)) {
          e.preventDefault();
          this._submit();
        }
      }}
      @change=${() => this._onChange(q)}
    >
      ${group === 'fieldset'
        ? html`<fieldset
            role=${q.type === 'multi' ? nothing : 'radiogroup'}
            aria-describedby=${this._error ? 'error' : nothing}
            aria-required=${q.type === 'multi' ? nothing : this._required(q) ? 'true' : 'false'}
          >
            <legend id="prompt" part="prompt">${prompt}</legend>
            ${input}
          </fieldset>`
        : html`<p id="prompt" part="prompt">${prompt}</p>
            ${input}`}
      ${this._error ? html`<p id="error" class="error" role="alert">${this._s('surveyRequired')}</p>` : nothing}
      <div class="actions">
        ${this._required(q) ? nothing : html`<button type="button" class="btn btn--quiet" part="button" @click=${() => this._submit(true)}>${this._s('surveySkip')}</button>`}
        <button type="submit" class="btn" part="button">${this._s(last ? 'surveySubmit' : 'surveyNext')}</button>
      </div>
    </form>`;
  }

  override render() {
    if (!this._visible) return nothing;
    const q = this._question;
    const floating = this.presentation === 'floating';
    return html`<section
      class="card"
      part="card"
      role=${floating ? 'dialog' : 'region'}
      tabindex=${floating ? '-1' : nothing}
      aria-label=${this._s('surveyLabel')}
      dir=${directionOf(this._shown)}
      lang=${this._langTag}
      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && floating && this.dismiss()}
    >
      ${floating ? html`<button type="button" class="close" part="close" aria-label=${this._s('surveyClose')} @click=${() => this.dismiss()}>×</button>` : nothing}
      ${q
        ? // Keyed: each question gets fresh inputs (a reused radio would keep the previous step's choice).
          keyed(q.id, this._body(q))
        : html`<div class="step thanks" part="thanks" tabindex="-1" role="status">
            <slot name="thanks">${this._tr?.thankYou ?? this.definition?.thankYou ?? this._s('surveyThanks')}</slot>
          </div>`}
    </section>`;
  }
}
