// A shop's page on an origin of its own, for the end-to-end test: it loads
// the widget from the backend at `base` (another origin), as a shop embeds
// the widget the reference backend serves. Started by scripts/e2e.sh before
// the backend, which is then told to allow this origin.
//
//   node e2e/other-shop.mjs      (prints "listening on http://127.0.0.1:<port>")
//
// GET /?base=<backend URL>&policy=<preset>&order=<order id> gives the page.
//
// It is also the shop's own system a backend's webhook tells of requests:
// POST /hook answers 503 (a receiver that is down) until POST /hook/fixed,
// then 204; GET /hook/got gives the events it took, as JSON.
import { createServer } from "node:http";

let fixed = false;
const took = [];
const server = createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  if (req.method === "POST" && url.pathname === "/hook") {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      if (fixed) took.push({ delivery: req.headers["aftersale-delivery"], body: JSON.parse(Buffer.concat(chunks)) });
      res.writeHead(fixed ? 204 : 503).end();
    });
    return;
  }
  if (req.method === "POST" && url.pathname === "/hook/fixed") {
    fixed = true;
    res.writeHead(204).end();
    return;
  }
  if (url.pathname === "/hook/got") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(took));
    return;
  }
  const base = url.searchParams.get("base");
  const [policy, order] = ["policy", "order"].map((name) => url.searchParams.get(name) ?? "");
  if (url.pathname !== "/" || !/^http:\/\/127\.0\.0\.1:\d+$/.test(base ?? "") || !/^[\w-]+$/.test(policy + order)) {
    res.writeHead(404, { "content-type": "text/plain" }).end("no such page\n");
    return;
  }
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Another shop</title>
<link rel="icon" href="data:,">
<link rel="modulepreload" href="${base}/aftersale-widget.js">
<link rel="preload" href="${base}/aftersale-widget_bg.wasm" as="fetch" type="application/wasm" crossorigin>
<script type="module">import init from "${base}/aftersale-widget.js"; init();</script></head>
<body><main><div id="demo-widget" data-aftersale data-policy="${policy}"
  data-order-url="${base}/api/orders/${order}" data-endpoint="${base}/api/requests"></div></main></body></html>
`);
});
server.listen(0, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
