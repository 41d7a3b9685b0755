import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const HEX = /^[0-9a-f]{64}$/;
/** A file's thumbnail is named after the file: it is made from those bytes alone, so it is content-addressed too. */
const THUMB = '.thumb';
/** A file being removed, moved aside until a second look says no row needs it (`remove`). */
const GONE = '.gone';

/**
 * The bytes of chat attachments on disk, content-addressed: a file is named
 * by its SHA-256 (`ab/abcdef…`), so the same picture sent ten times is
 * written once, and a name can never be a path a sender chose.
 *
 * Never half a file: bytes go to a temporary name, then are renamed into
 * place (atomic on one file system). The database row that refers to a file
 * is written after it, in the message's transaction (chat-attachments.ts):
 * a file without a row is an orphan `sweep()` removes; a row without a file
 * cannot happen, short of someone deleting files by hand.
 *
 * An image's thumbnail (make-thumbnail.ts) lies beside it as `<sha256>.thumb`,
 * and goes wherever the file goes: removed with it, swept as an orphan
 * when the file is gone.
 *
 * S3-compatible storage is an extension point (docs/deploy.md#attachments):
 * an object with `put`, `read`, `remove` and `sweep` over a bucket.
 */
export class AttachmentFiles {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  path(sha256: string): string {
    if (!HEX.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Stores `bytes` (once) and returns their SHA-256. A file already there is only touched, so a sweep spares it. */
  async put(bytes: Buffer): Promise<string> {
    const sha = createHash('sha256').update(bytes).digest('hex');
    await this.write(this.path(sha), bytes);
    return sha;
  }

  /** Stores the thumbnail of file `sha256` beside it (once; touched when already there). */
  async putThumbnail(sha256: string, bytes: Buffer): Promise<void> {
    await this.write(this.path(sha256) + THUMB, bytes);
  }

  private async write(path: string, bytes: Buffer): Promise<void> {
    const now = new Date();
    try {
      await utimes(path, now, now);
      return;
    } catch {
      // Not there yet: write it.
    }
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, bytes, { flag: 'wx' });
    // The sweep's grace period reads mtime against this process's clock: stamp it with that clock,
    // not the file system's (a skewed NFS server, or a test's shifted clock, would make a new upload look old).
    await utimes(tmp, now, now);
    await rename(tmp, path);
  }

  /** The bytes of a stored file; undefined when it is gone. */
  async read(sha256: string): Promise<Buffer | undefined> {
    return readFile(this.path(sha256)).catch(() => undefined);
  }

  /** The bytes of file `sha256`'s thumbnail; undefined when it has none. */
  async readThumbnail(sha256: string): Promise<Buffer | undefined> {
    return readFile(this.path(sha256) + THUMB).catch(() => undefined);
  }

  /** Whether the file is on disk. */
  has(sha256: string): Promise<boolean> {
    return stat(this.path(sha256)).then(
      () => true,
      () => false,
    );
  }

  /**
   * Deletes the files of `sha256s` that `referenced` says no row needs any
   * more (erasure, retention, a failed upload).
   *
   * Racing an upload of the same bytes (another customer's photo): its row
   * may commit after our first look. So a file is first moved aside, then
   * looked up again; only if still unreferenced is it deleted, else moved
   * back. The upload checks the file is there after its commit and writes
   * it again if not (send-attachment.ts) — so whichever order the steps run
   * in, a committed row never loses its file.
   */
  async remove(sha256s: Iterable<string>, referenced: (shas: string[]) => Promise<Set<string>>): Promise<number> {
    const list = [...new Set(sha256s)].filter((s) => HEX.test(s));
    if (!list.length) return 0;
    const first = await referenced(list);
    const aside: string[] = [];
    for (const sha of list) {
      if (first.has(sha)) continue;
      if (await rename(this.path(sha), this.path(sha) + GONE).then(() => true, () => false)) aside.push(sha);
    }
    if (!aside.length) return 0;
    const keep = await referenced(aside).catch(() => new Set(aside));
    let n = 0;
    for (const sha of aside) {
      if (keep.has(sha)) {
        await rename(this.path(sha) + GONE, this.path(sha)).catch(() => {});
        continue;
      }
      await rm(this.path(sha) + THUMB, { force: true }).catch(() => {});
      n += await rm(this.path(sha) + GONE).then(() => 1, () => 0);
    }
    return n;
  }

  /**
   * Deletes orphans: files no row refers to, older than `graceMs` (an upload
   * in flight has written its file but not yet committed its row), and
   * temporary files a crash left behind, and thumbnails whose file is gone.
   */
  async sweep(referenced: (shas: string[]) => Promise<Set<string>>, graceMs = 3_600_000): Promise<number> {
    const cutoff = Date.now() - graceMs;
    let n = 0;
    for (const sub of await readdir(this.dir).catch(() => [] as string[])) {
      const folder = join(this.dir, sub);
      const names = await readdir(folder).catch(() => [] as string[]);
      const here = new Set(names);
      const old: string[] = [];
      for (const name of names) {
        const st = await stat(join(folder, name)).catch(() => undefined);
        if (!st || st.mtimeMs > cutoff) continue;
        if (HEX.test(name)) old.push(name);
        // A file a crash left aside mid-removal goes back: the next sweep removes it if no row needs it.
        else if (name.endsWith(GONE) && !here.has(name.slice(0, -GONE.length))) await rename(join(folder, name), join(folder, name.slice(0, -GONE.length))).catch(() => {});
        else if (name.endsWith('.tmp') || name.endsWith(GONE) || (name.endsWith(THUMB) && !here.has(name.slice(0, -THUMB.length)))) n += await rm(join(folder, name)).then(() => 1, () => 0);
      }
      if (old.length) n += await this.remove(old, referenced);
    }
    return n;
  }
}
