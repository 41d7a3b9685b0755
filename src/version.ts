/** Stamped into `context.library.version`; the release script keeps it equal to package.json. */
export const VERSION = '0.1.0';
