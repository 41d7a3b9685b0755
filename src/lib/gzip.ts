/**
 * `text` gzipped (CompressionStream; callers check it exists). From a
 * Response's stream, not a Blob's: a Blob goes through the browser's blob
 * registry first, ~8 ms of main thread for 42 KB at 4× throttling, most of
 * the compression's cost (bench/experiments/gzip-cost.mjs).
 */
export const gzip = (text: string): Promise<ArrayBuffer> => new Response(new Response(text).body!.pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
