// The instants `npm test` also runs the node project at, under libfaketime
// (Debian's `faketime`): the suite must pass on any date, not only on the one it
// was written. Each instant is computed from today, so it never falls behind:
//   - the last day of next month, 30 s before midnight UTC (a day and a month end mid-run);
//   - the next 1 January, 5 s after midnight UTC ("today" is new, the last 30 days span two years);
//   - about three years ahead.
// Each runs in another local time zone, so that no code may read local time
// where it means UTC (or the other way round).
import { execFileSync } from 'node:child_process';
import { aptInstall } from './apt-install.mjs';

const DAY = 86_400_000;

/** [label, instant (ms since the epoch), TZ] for a run started at `now`. */
export const shiftedInstants = (now = Date.now()) => {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  // Day 0 of the month after next = the last day of next month.
  const endOfNextMonth = Date.UTC(y, m + 2, 0, 23, 59, 30);
  const newYear = Date.UTC(y + 1, 0, 1, 0, 0, 5);
  const threeYears = Date.UTC(y + 3, m, 1, 12, 34, 56) + 17 * DAY;
  return [
    ['end of next month, 23:59:30 UTC', endOfNextMonth, 'Pacific/Kiritimati'],
    ['1 January, 00:00:05 UTC', newYear, 'America/Los_Angeles'],
    ['three years ahead', threeYears, 'Europe/Bucharest'],
  ];
};

/**
 * libfaketime's offset for an instant: relative ("+Ns"), so the clock runs on from
 * there, and it means the same in every time zone (an absolute "@date" is read as local time).
 */
export const faketimeOffset = (instant, now = Date.now()) => `${Math.round((instant - now) / 1000) >= 0 ? '+' : ''}${Math.round((instant - now) / 1000)}s`;

const onPath = (cmd) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** Whether `faketime` can run; installs Debian's package when missing and we are root on Debian. */
export const requireFaketime = () => {
  if (onPath('faketime') || (aptInstall('faketime') && onPath('faketime'))) return true;
  console.error("The shifted-clock runs need libfaketime: sudo apt-get install faketime (Debian/Ubuntu), or run the tests as root on Debian.");
  return false;
};
