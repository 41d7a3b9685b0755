/*
 * The <head> snippet (classic script, budget 700 B gzip). It defines a stub
 * `touchpoint` that queues every call with its time and page, then loads the
 * SDK as a module. If the SDK is blocked, the stub keeps swallowing calls:
 * the host page never throws. Replace SRC and SITE_KEY; the options object
 * takes the same keys as the script tag's data attributes (features,
 * consent, endpoint, policyUrl, googleConsentMode…).
 */
(function (w, d, src, options) {
  var t = (w.touchpoint = w.touchpoint || {});
  if (t.q) return;
  t.q = [];
  t.o = options;
  var stub = function (obj, names, prefix) {
    names.split(' ').forEach(function (m) {
      obj[m] = function () {
        // Bounded: a blocked SDK with a chatty page must not grow memory forever.
        if (t.q.length < 1000) t.q.push([prefix + m, [].slice.call(arguments), new Date().toISOString(), [location.href, d.title, d.referrer]]);
      };
    });
  };
  stub(t, 'page track identify alias group reset flush', '');
  stub((t.consent = {}), 'set grantAll denyAll show', 'consent.');
  stub((t.survey = {}), 'show', 'survey.');
  t.on = function () {};
  var s = d.createElement('script');
  var u = src;
  s.type = 'module';
  s.async = true;
  // Pages requiring Trusted Types list this policy (and the SDK's, touchpoint): it only ever makes this one URL.
  // Refused (a name the page's CSP does not allow), the page's own policy decides; the stub never throws.
  try {
    if (w.trustedTypes)
      u = w.trustedTypes.createPolicy('touchpoint-snippet', {
        createScriptURL: function () {
          return u;
        },
      }).createScriptURL('');
    s.src = u;
  } catch {
    return;
  }
  d.head.appendChild(s);
})(window, document, 'SRC', { siteKey: 'SITE_KEY' });
