/** Thin protocol clients for tests: a visitor (token, conversations) and an agent (cookie). */
export const postJson = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
};

export const visitor = async (base: string, anonymousId: string, site = 'demo', extra: Record<string, unknown> = {}) => {
  const t = await postJson(`${base}/v1/visitor`, { protocol: 1, siteKey: site, anonymousId, ...extra });
  if (t.status !== 200) throw new Error(`token: ${t.status} ${JSON.stringify(t.body)}`);
  const token: string = t.body.token;
  const auth = { protocol: 1, siteKey: site, token };
  return {
    token,
    anonymousId,
    start: (clientId: string, body?: string) => postJson(`${base}/v1/chat/conversations`, { ...auth, clientId, ...(body ? { body } : {}) }),
    send: (conversationId: string, clientId: string, body: string) => postJson(`${base}/v1/chat/conversations/${conversationId}/messages`, { ...auth, clientId, body }),
    action: (conversationId: string, action: string, extra: Record<string, unknown> = {}) => postJson(`${base}/v1/chat/conversations/${conversationId}/${action}`, { ...auth, ...extra }),
    events: (conversationId: string, after = 0) => fetch(`${base}/v1/chat/conversations/${conversationId}/events?site=${site}&token=${encodeURIComponent(token)}&after=${after}`).then(async (r) => ({ status: r.status, body: await r.json() })),
    streamUrl: (cursor?: string) => `${base}/v1/chat/stream?site=${site}&token=${encodeURIComponent(token)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
  };
};

export const agent = async (base: string, email: string, password: string) => {
  const r = await postJson(`${base}/v1/agent/login`, { email, password }, { 'content-type': 'application/json' });
  if (r.status !== 200) throw new Error(`login: ${r.status}`);
  const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
  const h = { cookie, 'content-type': 'application/json' };
  return {
    cookie,
    send: (id: string, clientId: string, body: string) => postJson(`${base}/v1/agent/conversations/${id}/messages`, { clientId, body }, h),
    close: (id: string) => postJson(`${base}/v1/agent/conversations/${id}/close`, {}, h),
    list: () => fetch(`${base}/v1/agent/conversations`, { headers: { cookie } }).then((r) => r.json()),
    streamHeaders: { cookie },
  };
};
