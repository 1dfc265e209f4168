// The work the widget does while the customer only looks: an order page of
// 10, 120 and 240 lines (an Xtelary order delivered the day before), its
// overview shown, idle for 5 s in headless Chromium; the main thread's busy
// time per second (CDP Performance.getMetrics, TaskDuration). Every second
// the clock ticks, and the countdowns and whatever depends on the clock are
// computed again.   node bench/load/busy.mjs <base URL>
import { createRequire } from "node:module";

const require = createRequire(new URL("../../e2e/package.json", import.meta.url));
const { chromium } = require("playwright-core");
const [base] = process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});

function orderPage(lines) {
  const order = {
    id: "BIG-1", currency: "USD", placed_at: "2026-11-10T10:00:00Z", shipped_at: "2026-11-12T10:00:00Z",
    last_tracking_event_at: "2026-11-15T10:00:00Z", delivered_at: "2026-11-22T10:00:00Z",
    ship_from: "global_standard", shipping_paid: "9.90", exchanges_used: 0,
    lines: Array.from({ length: lines }, (_, i) => ({
      id: `L${i + 1}`, sku: `SKU-${i}`, title: `Heat transfer vinyl roll ${i + 1}`,
      unit_price: "12.90", quantity: 3, tags: [],
    })),
  };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>busy</title></head><body>
    <div data-aftersale data-policy="xtelary" data-now="2026-11-23T10:00:00Z">
      <script type="application/json">${JSON.stringify({ order, exchange_options: [] })}</script></div>
    <script type="module">import init from "/aftersale-widget.js"; init();</script></body></html>`;
}

console.log("idle work per second, the overview shown:");
for (const lines of [10, 120, 240]) {
  const page = await browser.newPage();
  await page.route(`${base}/busy.html`, (route) =>
    route.fulfill({ headers: { "content-type": "text/html" }, body: orderPage(lines) }));
  await page.goto(`${base}/busy.html`);
  await page.waitForSelector("[data-kind] .aftersale__choose");
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const busy = async () => (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "TaskDuration").value;
  await page.waitForTimeout(1000);
  const before = await busy();
  await page.waitForTimeout(5000);
  const after = await busy();
  console.log(`  ${String(lines).padStart(3)} lines: ${((after - before) / 5 * 1000).toFixed(1)} ms`);
  await page.close();
}
await browser.close();
