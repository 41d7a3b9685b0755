// Installs one of Debian's packages for the tests when we may (root, on
// Debian): Chromium, PostgreSQL, libfaketime. Returns whether apt-get ran
// without error; callers look for what they need afterwards and explain
// themselves when it is still missing.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const canApt = () =>
  process.getuid?.() === 0 && (existsSync('/etc/debian_version') || (existsSync('/etc/os-release') && /ID(_LIKE)?=.*debian/.test(readFileSync('/etc/os-release', 'utf8'))));

export const aptInstall = (pkg, what = pkg) => {
  if (!canApt()) return false;
  console.log(`${what} not found: installing Debian's "${pkg}" package (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], { stdio: 'inherit', env });
    return true;
  } catch {
    return false;
  }
};
