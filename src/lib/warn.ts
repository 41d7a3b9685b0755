const seen = new Set<string>();

/**
 * Warns once per code in development builds; compiled away in production.
 * Each code has an entry in docs/sdk.md#warnings.
 */
export const warn = (code: string, message: string): void => {
  if (DEV_MODE && !seen.has(code)) {
    seen.add(code);
    // eslint-disable-next-line no-console -- the one place the SDK speaks, in development builds only
    console.warn(`[touchpoint] ${message} See docs/sdk.md#${code}`);
  }
};
