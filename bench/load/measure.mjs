// Time from navigation to "ready" in headless Chromium, for the widget (an
// order page: the overview drawn), the same page with its files preloaded,
// a product page (its summary drawn) by the terms bundle and by the
// widget's, and a bare Leptos counter built the same way (its button drawn; Trunk's
// page preloads its files), alternating, each load in a fresh browser
// context (empty cache); with a latency given, every response comes that
// many milliseconds late (Chromium's network emulation: a phone's round
// trip), and with a throughput, the bytes come no faster than that many
// kilobits per second (a slow mobile connection, where size is time).
//   node bench/load/measure.mjs <base URL> [runs] [latency ms] [kbit/s]
import { createRequire } from "node:module";

const require = createRequire(new URL("../../e2e/package.json", import.meta.url));
const { chromium } = require("playwright-core");
const [base, runsArg, latencyArg, kbpsArg] = process.argv.slice(2);
const runs = Number(runsArg || 30);
const latency = Number(latencyArg || 0);
const kbps = Number(kbpsArg || 0);

const pages = [
  { name: "bare Leptos counter", path: "/counter.html", ready: "button.counter" },
  // The widget draws in its element's shadow root.
  { name: "aftersale widget", path: "/widget.html", ready: "[data-kind]" },
  { name: "widget, preloaded", path: "/widget-preload.html", ready: "[data-kind]" },
  // A product page's summary, preloaded, by the terms bundle and by the
  // order widget's.
  { name: "product, terms bundle", path: "/product.html", ready: "[data-clause]" },
  { name: "product, widget bundle", path: "/product-widget.html", ready: "[data-clause]" },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});

async function once(p) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (latency || kbps) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions",
      { offline: false, latency, downloadThroughput: kbps ? (kbps * 1000) / 8 : -1, uploadThroughput: -1 });
  }
  await page.addInitScript((selector) => {
    // Watches the document and every shadow root attached to it (where the
    // widget draws) for the first element matching `selector`.
    const roots = [document];
    const observer = new MutationObserver(() => {
      if (window.__ready === undefined && roots.some((r) => r.querySelector(selector))) {
        window.__ready = performance.now();
        observer.disconnect();
      }
    });
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) {
      const root = attach.call(this, init);
      roots.push(root);
      observer.observe(root, { childList: true, subtree: true });
      return root;
    };
    observer.observe(document, { childList: true, subtree: true });
  }, p.ready);
  await page.goto(base + p.path);
  await page.waitForFunction(() => window.__ready !== undefined, null, { timeout: 30000 });
  const ms = await page.evaluate(() => window.__ready);
  await context.close();
  return ms;
}

const times = Object.fromEntries(pages.map((p) => [p.name, []]));
for (const p of pages) await once(p); // warm up the browser process
for (let i = 0; i < runs; i++) {
  for (const p of pages) times[p.name].push(await once(p));
}
await browser.close();

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const base_ = quantile(times[pages[0].name], 0.5);
console.log(`${runs} loads each, alternating, fresh context each${latency ? `, responses ${latency} ms late` : ""}${kbps ? `, at most ${kbps} kbit/s` : ""}:`);
for (const p of pages) {
  const xs = times[p.name];
  const median = quantile(xs, 0.5);
  console.log(`${p.name.padEnd(22)} median ${median.toFixed(1)} ms  p90 ${quantile(xs, 0.9).toFixed(1)} ms  (${(median / base_).toFixed(2)}× the counter)`);
}
