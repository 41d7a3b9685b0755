import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { commandScanner, type ScanFile } from './accept-upload.js';

/**
 * Where attachments live (docs/deploy.md#attachments): `ATTACHMENTS_DIR`, else
 * `attachments/` beside the embedded store's data folder (`.touchpoint/attachments`).
 * With PostgreSQL and several instances, point ATTACHMENTS_DIR at a folder they share.
 * The scanner: `TOUCHPOINT_SCAN_COMMAND`, a command that reads the file on stdin.
 */
export const attachmentOptionsFromEnv = (root: string, dataDir: string, env: NodeJS.ProcessEnv = process.env): { attachmentsDir: string; scanAttachment?: ScanFile } => ({
  attachmentsDir: env.ATTACHMENTS_DIR ? resolve(root, env.ATTACHMENTS_DIR) : join(dirname(dataDir), 'attachments'),
  ...(env.TOUCHPOINT_SCAN_COMMAND ? { scanAttachment: commandScanner(env.TOUCHPOINT_SCAN_COMMAND) } : {}),
});

/** A server without a folder given (tests, an in-memory store): ATTACHMENTS_DIR, else a fresh temporary folder. */
export const defaultAttachmentsDir = (env: NodeJS.ProcessEnv = process.env): string => (env.ATTACHMENTS_DIR ? resolve(env.ATTACHMENTS_DIR) : mkdtempSync(join(tmpdir(), 'touchpoint-attachments-')));
