import type SharpLib from 'sharp';
import { THUMBNAIL_SIDE, type ChatThumbnail } from 'touchpoint/protocol';

/** A thumbnail's bytes (WebP) and size, as the event announces it. */
export interface MadeThumbnail extends ChatThumbnail {
  bytes: Buffer;
}

/**
 * Pixels an image may have for us to decode it: 40 MP (a phone's photo is
 * 12–50 MP, at most 24 bit each). A 10 MiB PNG of one colour can claim
 * 16 384² pixels, a gigabyte decoded; past this it gets no thumbnail.
 */
const MAX_PIXELS = 40_000_000;

type Sharp = typeof SharpLib;
let library: Promise<Sharp | undefined> | undefined;

/**
 * sharp (libvips, prebuilt per platform as optional packages, no install
 * script) loaded on first use: a platform without its binary still takes
 * files, only without thumbnails.
 */
const sharp = (): Promise<Sharp | undefined> =>
  (library ??= import('sharp').then(
    (m) => {
      // Decoded images are not kept between uploads: every file is new, and memory is the server's.
      m.default.cache(false);
      return m.default;
    },
    () => undefined,
  ));

/**
 * The thumbnail of an image attachment: at most `THUMBNAIL_SIDE` px a side,
 * never enlarged, turned upright by its EXIF orientation, the first frame of
 * an animation, as WebP (alpha kept) — re-encoded pixels only, so a preview
 * never carries the original's metadata (a phone's GPS position) or bytes
 * smuggled after the image. Decoding runs on libuv's threads, not the event
 * loop. `undefined` when the bytes do not decode (a truncated file, one over
 * `MAX_PIXELS`) or sharp is missing: the file is still accepted.
 */
export async function makeThumbnail(bytes: Buffer): Promise<MadeThumbnail | undefined> {
  const lib = await sharp();
  if (!lib) return undefined;
  try {
    const { data, info } = await lib(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
      .rotate()
      .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch {
    return undefined;
  }
}
