#!/usr/bin/env node
// Why server/lib/rate-limiter.ts is not @fastify/rate-limit, measured (issue #26).
// The plugin is not a dependency; to run:
//   mkdir /tmp/rl && cd /tmp/rl && npm i @fastify/rate-limit@11 fastify@5
//   NODE_PATH=/tmp/rl/node_modules node bench/experiments/rate-limit-window.mjs
// Three timelines in real time against the plugin configured as the documented limit
// would have to be (50/s sustained, bursts of 200: `max: 200, timeWindow: 4 s`, or
// `max: 50, timeWindow: 1 s`), and against our token bucket (50/s, burst 200).
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
// The built limiter (npm run build), or another build's: RATE_LIMITER=/path/to/rate-limiter.js
const { RateLimiter } = await import(process.env.RATE_LIMITER ?? new URL('../../server/dist/js/lib/rate-limiter.js', import.meta.url).href);

const require = createRequire(import.meta.url);
const Fastify = require('fastify');
const rateLimit = require('@fastify/rate-limit');

async function plugin(max, timeWindow) {
  const app = Fastify();
  await app.register(rateLimit, { max, timeWindow });
  app.get('/', async () => 'ok');
  await app.ready();
  return async () => (await app.inject({ method: 'GET', url: '/' })).statusCode === 200;
}
const bucket = () => {
  const b = new RateLimiter(50, 200);
  return async () => b.take('k') === 0;
};

/** Sends `n` requests at once; how many were allowed. */
const burst = async (take, n) => {
  let ok = 0;
  for (let i = 0; i < n; i++) if (await take()) ok++;
  return ok;
};

const timelines = {
  // An SDK flushing its outbox after a reconnect: 200 at once, then nothing.
  'reconnect burst of 200: allowed': async (take) => burst(take, 200),
  // A client at the window's edge: 1 request, then at 3.9 s 199 and at 4.05 s 200 more — allowed within those 0.15 s.
  'window edge: 399 within 0.15 s — allowed': async (take) => {
    const t0 = Date.now();
    await take();
    await sleep(3900 - (Date.now() - t0));
    const a = await burst(take, 199);
    await sleep(Math.max(0, 4050 - (Date.now() - t0)));
    return a + (await burst(take, 200));
  },
  // A client that spent its burst, then 1 request per 100 ms (10/s, well under 50/s) for 2 s: refused.
  'spent burst, then 10/s for 2 s: refused of 20': async (take) => {
    await burst(take, 400);
    let refused = 0;
    for (let i = 0; i < 20; i++) {
      await sleep(100);
      if (!(await take())) refused++;
    }
    return refused;
  },
};

const variants = { 'plugin max 200 / 4 s': () => plugin(200, 4000), 'plugin max 50 / 1 s': () => plugin(50, 1000), 'token bucket 50/s, 200': async () => bucket() };
console.log(`| timeline | ${Object.keys(variants).join(' | ')} |\n|---|${Object.keys(variants).map(() => '---:').join('|')}|`);
for (const [name, run] of Object.entries(timelines)) {
  const cells = [];
  for (const make of Object.values(variants)) cells.push(await run(await make()));
  console.log(`| ${name} | ${cells.join(' | ')} |`);
}
