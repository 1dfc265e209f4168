// Serves a folder as a shop's web server serves the widget's build: a
// file's brotli copy (`name.br`, as scripts/precompress.sh writes them)
// with `Content-Encoding: br` where the browser takes it, the wasm as
// `application/wasm`, nothing cached. (Python's http.server sends the
// files as they are: 676 KB of wasm where a shop sends 222 KB, which a
// throttled connection would measure.)
//   node bench/load/serve.mjs <folder> <port>
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";

const [folder, port] = process.argv.slice(2);
const root = resolve(folder);
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
};

createServer(async (request, response) => {
  const file = resolve(join(root, decodeURIComponent(new URL(request.url, "http://localhost").pathname)));
  if (!file.startsWith(root + sep)) {
    response.writeHead(404).end();
    return;
  }
  const headers = { "content-type": TYPES[extname(file)] || "application/octet-stream", "cache-control": "no-store" };
  let body = null;
  if (/\bbr\b/.test(request.headers["accept-encoding"] || "")) {
    body = await readFile(`${file}.br`).catch(() => null);
    if (body) headers["content-encoding"] = "br";
  }
  body = body || (await readFile(file).catch(() => null));
  if (!body) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, headers).end(body);
}).listen(Number(port), "127.0.0.1");
