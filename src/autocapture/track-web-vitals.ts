import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import type { Call } from './start-autocapture.js';

/** Core Web Vitals, each reported once when final (web-vitals decides when). */
export const trackWebVitals = (call: Call): void => {
  const report = (m: Metric) =>
    call('track', ['Web Vital', { name: m.name, value: Math.round(m.value * 1000) / 1000, rating: m.rating, id: m.id, navigationType: m.navigationType }]);
  onLCP(report);
  onINP(report);
  onCLS(report);
  onFCP(report);
  onTTFB(report);
};
