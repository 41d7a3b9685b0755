import './survey.js';
import { startSurveys, type Surveys, type SurveysOptions } from 'touchpoint/host';
import type { Touchpoint } from 'touchpoint';

/** The script-tag build's survey feature (lazy chunk): the element plus the SDK's targeting and triggers. */
export const mountSurveys = (tp: Touchpoint, options: SurveysOptions): Surveys => startSurveys(tp, options);
