import './survey.js';
import { startSurveys, type Surveys, type SurveysOptions } from '../../src/survey/start-surveys.js';
import type { Touchpoint } from '../../src/types.js';

/** The script-tag build's survey feature (lazy chunk): the element plus the SDK's targeting and triggers. */
export const mountSurveys = (tp: Touchpoint, options: SurveysOptions): Surveys => startSurveys(tp, options);
