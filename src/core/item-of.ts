import { uuidv7 } from '../lib/uuidv7.js';
import type { OutboxItem } from './outbox.js';

/** `body` as an outbox item of `kind`, sized as it will be sent. */
export const itemOf = (kind: OutboxItem['kind'], body: unknown, id = uuidv7()): OutboxItem => ({ id, kind, body, bytes: JSON.stringify(body).length });
