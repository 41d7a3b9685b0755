#!/usr/bin/env node
// The package's one command: `npx @touchpoint/server` (or `touchpoint serve`)
// runs the reference server with its console; `touchpoint sites …`,
// `touchpoint agents …` are the operator commands (server/cli/touchpoint.ts).
const [command, ...rest] = process.argv.slice(2);
if (!command || command === 'serve') {
  await import('../dist/js/main.js');
} else {
  const { runCli } = await import('../dist/js/cli/touchpoint.js');
  process.exit(await runCli([command, ...rest], { out: (l) => console.log(l), err: (l) => console.error(l) }));
}
