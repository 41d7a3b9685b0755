// Pure: production builds, where every warn() call is gone, drop the set too.
const seen = /* @__PURE__ */ new Set<string>();

/**
 * Warns once per code in development builds. Call it as
 * `if (DEV_MODE) warn(…)`: then production builds drop the call *and* its
 * arguments (lit's pattern). Each code has an entry in docs/sdk.md#warnings.
 */
export const warn = (code: string, message: string): void => {
  if (!seen.has(code)) {
    seen.add(code);
    // eslint-disable-next-line no-console -- the one place the SDK speaks, in development builds only
    console.warn(`[touchpoint] ${message} See docs/sdk.md#${code}`);
  }
};
