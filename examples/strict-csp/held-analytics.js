// Stands for a third-party analytics tag: it runs only once `analytics` is granted.
window.heldAnalyticsLoaded = (window.heldAnalyticsLoaded ?? 0) + 1;
document.querySelector('#held-status').textContent = 'Held analytics script: loaded.';
