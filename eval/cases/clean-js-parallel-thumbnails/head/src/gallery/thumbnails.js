const { execFile } = require("node:child_process");
const { promisify } = require("node:util");

const run = promisify(execFile);
const CONCURRENCY = 4;

async function thumbnailAll(images, log) {
  const results = new Array(images.length);
  let next = 0;
  async function worker() {
    while (next < images.length) {
      const index = next++;
      const image = images[index];
      try {
        await run("convert", [image.source, "-thumbnail", "256x256", image.target], { timeout: 20_000 });
        results[index] = { id: image.id, ok: true };
      } catch (error) {
        log.warn({ err: error, imageId: image.id }, "thumbnail failed");
        results[index] = { id: image.id, ok: false };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, images.length) }, worker));
  return results;
}

module.exports = { thumbnailAll };
