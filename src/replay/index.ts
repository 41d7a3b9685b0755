/**
 * `touchpoint/replay`: session replay on @rrweb/record, private by default
 * (docs/replay.md). The script-tag build loads it lazily with
 * `data-features="replay"`, once consent grants `replay`.
 */
export { startReplay, type Replay, type ReplayMode, type ReplayOptions } from './start-replay.js';
export { scrubText, isSecretInput } from './privacy.js';
