// The time zone, in a worker: the first Intl formatter of a page initialises ICU, which is slow (lib/timezone.ts).
postMessage(Intl.DateTimeFormat().resolvedOptions().timeZone);
