// The console benches' table: each query once to warm up, then 5 timed runs;
// the median and the slowest against the bar of 1 s. Shared by 05 and 07.
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `queries`: [name, run] pairs. Returns the markdown table after `intro`. */
export const timeQueries = async (intro, queries) => {
  const lines = [intro, '', '| query | median | slowest | under 1 s |', '| --- | ---: | ---: | --- |'];
  for (const [name, fn] of queries) {
    await fn();
    const times = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    const m = median(times);
    lines.push(`| ${name} | ${m.toFixed(0)} ms | ${Math.max(...times).toFixed(0)} ms | ${m < 1000 ? 'yes' : '**no**'} |`);
    process.stdout.write('.');
  }
  return lines.join('\n');
};
