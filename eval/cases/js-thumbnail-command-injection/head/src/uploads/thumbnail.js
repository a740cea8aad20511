const { exec } = require("node:child_process");
const path = require("node:path");
const { promisify } = require("node:util");

const run = promisify(exec);
const UPLOAD_DIR = process.env.UPLOAD_DIR || "/srv/uploads";

/**
 * @param {{ storedName: string, originalName: string }} upload
 */
async function createThumbnail(upload) {
  const source = path.join(UPLOAD_DIR, upload.storedName);
  const ext = path.extname(upload.originalName).toLowerCase() || ".png";
  const target = path.join(UPLOAD_DIR, "thumbs", `${path.parse(upload.storedName).name}${ext}`);
  await run(`convert "${source}" -thumbnail 256x256 "${target}"`, { timeout: 20_000 });
  return target;
}

module.exports = { createThumbnail };
