/**
 * Session replay (touchpoint/replay). Placeholder entry until the replay
 * issue lands: the lazy-load path from the script-tag build is wired and
 * budgeted, so the real recorder slots in without touching core.
 */
import type { Touchpoint } from '../types.js';
import { warn } from '../lib/warn.js';

/** Starts recording for `tp` once consent grants `replay`. */
export const startReplay = (tp: Touchpoint): void => {
  if (DEV_MODE) warn('replay', 'Replay is not implemented yet.');
  void tp;
};
