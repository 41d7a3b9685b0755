/**
 * `true` in development builds and tests; rollup replaces it with `false` in
 * production builds so that terser drops every warning (lit's DEV_MODE pattern).
 */
declare const DEV_MODE: boolean;
