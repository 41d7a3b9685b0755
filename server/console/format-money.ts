const formats = new Map<string, Intl.NumberFormat>();

/** An amount in the viewer's locale, with its ISO 4217 currency when the site has one ("¥1,234.50", "1.234,50 €"). */
export const money = (amount: number, currency: string | null | undefined): string => {
  const key = currency ?? '';
  let f = formats.get(key);
  if (!f) {
    f = currency ? new Intl.NumberFormat(undefined, { style: 'currency', currency }) : new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
    formats.set(key, f);
  }
  return f.format(amount);
};
