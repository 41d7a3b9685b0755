import axe from 'axe-core';

/** Runs axe-core on `el` (shadow DOM included) and returns readable violations; [] means accessible. */
export const axeViolations = async (el: Element): Promise<string[]> => {
  const r = await axe.run(el, { resultTypes: ['violations'], rules: { region: { enabled: false } } });
  return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
};
