/** Polls `fn` every `every` ms until it is true; throws after `ms` (a test waiting on a real server or browser). */
export const until = async (fn: () => boolean | Promise<boolean>, ms = 10_000, every = 100): Promise<void> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error('condition not met in time');
};
