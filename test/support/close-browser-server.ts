import { closeServer } from './browser-commands.js';

/**
 * The browser project's global setup: nothing to start (the server starts on a
 * test's first command), and at the end the server is closed — its store, chat hub
 * and delivery worker would otherwise keep vitest from exiting.
 */
export default () => closeServer;
