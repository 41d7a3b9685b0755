import { TpSurvey, type SurveyAnswerDetail } from './survey.component.js';

export { TpSurvey };
export type { SurveyAnswerDetail };
export default TpSurvey;

TpSurvey.define('tp-survey');

declare global {
  interface HTMLElementTagNameMap {
    'tp-survey': TpSurvey;
  }
  interface GlobalEventHandlersEventMap {
    'tp-survey-show': CustomEvent<{ responseId: string }>;
    'tp-survey-answer': CustomEvent<SurveyAnswerDetail>;
    'tp-survey-complete': CustomEvent<{ responseId: string; answers: Record<string, number | string | string[]> }>;
    'tp-survey-dismiss': CustomEvent<{ responseId: string }>;
    'tp-survey-hide': CustomEvent<undefined>;
  }
}
