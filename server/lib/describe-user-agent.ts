/**
 * "Chrome on Android (mobile)" from a user-agent string: enough for an agent
 * to tell a customer's devices apart, without a UA database. Order matters:
 * Edge and Opera also say Chrome, Chrome also says Safari.
 */
export const describeUserAgent = (ua: string | null | undefined): string => {
  if (!ua) return 'Unknown device';
  const browser =
    (
      [
      [/Edg\//, 'Edge'],
      [/OPR\//, 'Opera'],
      [/SamsungBrowser\//, 'Samsung Internet'],
      [/Firefox\//, 'Firefox'],
      [/(?:Chrome|Chromium|CriOS)\//, 'Chrome'],
      [/Safari\//, 'Safari'],
      ] as const
    ).find(([re]) => re.test(ua))?.[1] ?? 'Browser';
  const os =
    (
      [
      [/iPhone|iPad|iPod/, 'iOS'],
      [/Android/, 'Android'],
      [/Windows/, 'Windows'],
      [/Mac OS X|Macintosh/, 'macOS'],
      [/CrOS/, 'ChromeOS'],
      [/Linux/, 'Linux'],
      ] as const
    ).find(([re]) => re.test(ua))?.[1] ?? 'an unknown system';
  const form = /Mobi|iPhone|Android(?!.*Tablet)/.test(ua) ? 'mobile' : /iPad|Tablet/.test(ua) ? 'tablet' : 'desktop';
  return `${browser} on ${os} (${form})`;
};
