import { spawn } from 'node:child_process';

/**
 * Runs a command from node_modules/.bin (or PATH) with inherited stdio;
 * resolves with its exit code, or rejects on a non-zero one unless `allowFail`.
 */
export const run = (cmd, args = [], { allowFail = false, env = {} } = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: 'inherit',
      env: { ...process.env, PATH: `${process.cwd()}/node_modules/.bin:${process.env.PATH}`, ...env },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const c = code ?? (signal ? 1 : 0);
      if (c !== 0 && !allowFail) reject(new Error(`${cmd} ${args.join(' ')} exited with ${c}`));
      else resolve(c);
    });
  });
