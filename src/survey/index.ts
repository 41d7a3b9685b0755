/**
 * `touchpoint/survey`: survey targeting and triggers for the SDK, and the
 * scoring rules the reference console uses. The element is
 * `touchpoint/components/survey`.
 */
export { startSurveys, type Surveys, type SurveysOptions, type ShowContext, type ElementAnswer } from './start-surveys.js';
export { ineligible, sampleSlot, matchPath, type SurveyMemory, type Visitor } from './eligibility.js';
export { scoreQuestion, cliOf, isLowScore, LOW_SCORES, type Score, type Histogram } from '../protocol/score.js';
export type { SurveyDefinition, SurveyAnswer, Question } from '../protocol/survey.js';
