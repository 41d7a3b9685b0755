import { readFileSync } from 'node:fs';

/** Where the channels listen and send (docs/channels.md, docs/deploy.md). */
export interface ChannelOptions {
  /** The SMTP listener for inbound mail (`false` or absent: none on this instance). */
  smtp?: { port: number; host?: string; key?: string | Buffer; cert?: string | Buffer; maxBytes?: number } | false;
  /** Agents' e-mail replies leave through this relay: an `smtp://` / `smtps://` URL or nodemailer transport options. */
  relay?: string | Record<string, unknown>;
  /** The Graph API's base URL (default https://graph.facebook.com); tests point it at a local fake. */
  graphUrl?: string;
}

/**
 * From the environment: TOUCHPOINT_SMTP_PORT (and _HOST, _TLS_KEY, _TLS_CERT
 * as file paths: with both, STARTTLS is offered), TOUCHPOINT_SMTP_RELAY,
 * TOUCHPOINT_GRAPH_URL.
 */
export const channelOptionsFromEnv = (env: NodeJS.ProcessEnv = process.env): ChannelOptions => {
  const port = env.TOUCHPOINT_SMTP_PORT ? Number(env.TOUCHPOINT_SMTP_PORT) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) throw new Error(`TOUCHPOINT_SMTP_PORT: "${env.TOUCHPOINT_SMTP_PORT}" is not a port number.`);
  const tls = env.TOUCHPOINT_SMTP_TLS_KEY && env.TOUCHPOINT_SMTP_TLS_CERT ? { key: readFileSync(env.TOUCHPOINT_SMTP_TLS_KEY), cert: readFileSync(env.TOUCHPOINT_SMTP_TLS_CERT) } : {};
  return {
    smtp: port === undefined ? false : { port, ...(env.TOUCHPOINT_SMTP_HOST ? { host: env.TOUCHPOINT_SMTP_HOST } : {}), ...tls },
    ...(env.TOUCHPOINT_SMTP_RELAY ? { relay: env.TOUCHPOINT_SMTP_RELAY } : {}),
    ...(env.TOUCHPOINT_GRAPH_URL ? { graphUrl: env.TOUCHPOINT_GRAPH_URL } : {}),
  };
};
