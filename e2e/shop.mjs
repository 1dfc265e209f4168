// End to end: the demo shop served by aftersale-server, driven in real
// headless Chromium (playwright-core with the system Chromium). Each flow
// is walked through the built page, submitted to the server, and checked in
// the rows the server stored (read back through the merchant API).
//
//   node e2e/shop.mjs <base URL> <merchant token> <keyed base URL> <X-102's key> <other shop URL>
//
// The keyed server is a second one started with --order-secret (its orders
// read and requested only with their keys), with the same merchant token.
// The other shop (e2e/other-shop.mjs) serves a shop's page on an origin of
// its own, which the first server allows (--allow-origin).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const [base, token, keyedBase, keyedKey, otherShop] = process.argv.slice(2);
if (!base || !token || !keyedBase || !keyedKey || !otherShop) {
  console.error("usage: node e2e/shop.mjs <base URL> <merchant token> <keyed base URL> <X-102's key> <other shop URL>");
  process.exit(2);
}

/** Every stored request (of the server `at`), newest first, read page by
 * page (5 a page). */
async function stored(at = base) {
  const all = [];
  let after = null;
  do {
    const query = `?limit=5${after ? `&after=${encodeURIComponent(after)}` : ""}`;
    const r = await fetch(`${at}/api/merchant/requests${query}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(r.status, 200, "the merchant API answers");
    const page = await r.json();
    assert.ok(page.requests.length <= 5);
    all.push(...page.requests);
    after = page.next;
  } while (after);
  return all;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// Every event detail the widget sends in any flow, by event name, once
// each: held at the end to the types a shop's code is given
// (types/aftersale.d.ts), so the declarations cannot drift from what the
// widget sends.
const EVENTS = ["aftersale:quote", "aftersale:submitted", "aftersale:photos", "aftersale:error"];
const seen = Object.fromEntries(EVENTS.map((name) => [name, new Map()]));
async function watchEvents(context) {
  await context.exposeBinding("__aftersaleSeen", (_, name, detail) => {
    seen[name].set(JSON.stringify(detail), detail);
  });
  await context.addInitScript((names) => {
    for (const name of names) {
      window.addEventListener(name, (e) => window.__aftersaleSeen(name, e.detail), true);
    }
  }, EVENTS);
}
// Every context, browser.newPage's own included (it makes one by
// browser.newContext).
const newContext = browser.newContext.bind(browser);
browser.newContext = async (...args) => {
  const context = await newContext(...args);
  await watchEvents(context);
  return context;
};

/** Checks every event detail seen against types/aftersale.d.ts with tsc:
 * each must be of its event's declared type, with no field it does not
 * declare. Returns how many were checked, by event. */
function checkSeenEvents() {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const dir = mkdtempSync(join(tmpdir(), "aftersale-events-"));
  try {
    const lines = [`import type { AftersaleEventMap } from ${JSON.stringify(join(root, "types", "aftersale"))};`,
      `type Detail<K extends keyof AftersaleEventMap> = AftersaleEventMap[K]["detail"];`];
    EVENTS.forEach((name, i) => {
      lines.push(`export const e${i} = ${JSON.stringify([...seen[name].values()], null, 1)} satisfies Detail<${JSON.stringify(name)}>[];`);
    });
    writeFileSync(join(dir, "seen.ts"), lines.join("\n"));
    // Compiled as types/check.ts is, by its tsconfig.
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
      extends: join(root, "types", "tsconfig.json"), files: ["seen.ts"],
    }));
    try {
      execFileSync(join(root, "e2e", "node_modules", ".bin", "tsc"), ["-p", dir], { encoding: "utf8" });
    } catch (e) {
      throw new Error(`event details the widget sent are not as types/aftersale.d.ts declares:\n${e.stdout}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return Object.fromEntries(EVENTS.map((name) => [name, seen[name].size]));
}

/** Opens the shop on an order and waits for the widget to be ready (in a
 * fresh browser context, or in `context` beside its other tabs). */
async function open(orderId, locale = "en-US", context = null) {
  const page = await (context ? context.newPage() : browser.newPage({ locale, timezoneId: "Europe/Berlin" }));
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // Warnings count too: a shop's developers read this console.
  page.on("console", (m) => { if (["error", "warning"].includes(m.type())) errors.push(`${m.type()}: ${m.text()}`); });
  await page.goto(`${base}/?order=${orderId}`);
  if (locale !== "en-US") {
    await page.selectOption("#demo-locale", locale);
  }
  await page.waitForSelector(`#demo-widget [data-kind="cancel"] .aftersale__choose, #demo-widget [data-kind="cancel"]`);
  assert.equal(await page.textContent("#demo-title"), `Order ${orderId}`);
  page.errors = errors;
  return page;
}

const w = "#demo-widget ";
async function choose(page, kind, reason) {
  await page.click(`${w}[data-kind="${kind}"][data-reason="${reason}"] .aftersale__choose`);
  // An exchange has no quote until the new item is picked.
  await page.waitForSelector(`${w}${kind === "exchange" ? ".aftersale__exchange" : ".aftersale__result"}`);
}
/** A file of `size` bytes that begins as an image of its type does (the
 * widget reads a photo's type from its first bytes). */
const image = (head, size) => Buffer.concat([Buffer.from(head), Buffer.alloc(size - head.length, 1)]);
const png = image([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 4096);
const jpeg = image([0xff, 0xd8, 0xff, 0xe0], 100);
const amount = (page, cls) => page.getAttribute(`${w}.aftersale__result .${cls}`, "data-amount");

/** Attaches `photo` where photos are asked for, fills the email, submits,
 * waits for the confirmation; returns the row the server `at` stored. */
async function submit(page, photo = { name: "item.png", mimeType: "image/png", buffer: png }, at = base) {
  const before = (await stored(at)).length;
  if (await page.$(`${w}.aftersale__photo-input`)) {
    await page.setInputFiles(`${w}.aftersale__photo-input`, photo);
  }
  await page.fill(`${w}.aftersale__email`, "ana@example.com");
  await page.click(`${w}.aftersale__review`);
  await page.click(`${w}.aftersale__send`);
  await page.waitForSelector(`${w}.aftersale__status[data-state="created"]`, { timeout: 15000 });
  const id = (await page.textContent(`${w}.aftersale__request-id`)).trim();
  const rows = await stored(at);
  assert.equal(rows.length, before + 1, "one row per submission");
  const row = rows.find((r) => r.id === id);
  assert.ok(row, `request ${id} is stored`);
  assert.equal(row.status, "requested");
  assert.equal(row.payload.contact.email, "ana@example.com");
  assert.deepEqual(page.errors, [], "no errors or warnings in the console");
  return { row, page };
}

async function returnUnits(page, kind, l1, l2) {
  await choose(page, kind, "changed_mind");
  for (const [line, quantity] of [["L1", l1], ["L2", l2]]) {
    const input = page.locator(`${w}[data-line="${line}"]`);
    // A line whose units are all in the order's requests is not offered.
    if (await input.isDisabled()) assert.equal(quantity, 0, `${line} is held`);
    else await input.fill(String(quantity));
  }
  for (const box of await page.$$(`${w}.aftersale__condition`)) await box.check();
}

/**
 * On a page of the demo shop showing HTVRont's products: the summary of
 * one red roll (in `product`), then of a cart of two glitter bundles and
 * the roll, bought with the form whose ids begin with `prefix` (`demo`,
 * `product`). Returns the reader of an option's status.
 */
async function htvrontSummaries(page, product, prefix) {
  const status = (where, clause) =>
    page.textContent(`${where} [data-clause="${clause}"] .aftersale__option-status`);
  await page.waitForSelector(`${product} .aftersale__on-its-way`);
  // One roll of red vinyl and the shipping: 12.50 + 4.99 = 17.49 kept as
  // credit on a cancellation; 20% of it (3.50) if it is not shipped in time.
  assert.equal(await status(product, "htvront.cancel_before_shipment"), "Store credit $17.49");
  assert.equal(await status(product, "htvront.not_shipped_in_time"), "Compensation $3.50");
  assert.equal(await page.isHidden(`#${prefix}-cart`), true, "no cart before anything is added");
  for (const [item, quantity] of [["1", "2"], ["0", "1"]]) {
    await page.selectOption(`#${prefix}-item`, item);
    await page.fill(`#${prefix}-quantity`, quantity);
    await page.click(`#${prefix}-buy button`);
  }
  // 2 × 24.99 + 12.50 + 4.99 = 67.47; 20% = 13.494 → 13.49.
  await page.waitForFunction((list) => document.querySelector(list).children.length === 2, `#${prefix}-cart-items`);
  await page.waitForSelector(`#${prefix}-cart-terms .aftersale__on-its-way`);
  assert.equal(await status(`#${prefix}-cart-terms`, "htvront.cancel_before_shipment"), "Store credit $67.47");
  assert.equal(await status(`#${prefix}-cart-terms`, "htvront.not_received"),
    "Compensation $13.49 · We ship the items to you again");
  return status;
}

const flows = {
  async "the widget's files arrive as the build's brotli copies"() {
    const page = await open("X-100");
    const sizes = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType("resource")
      .filter((e) => /aftersale-widget(_bg\.wasm|\.js)$/.test(e.name))
      .map((e) => [e.name.split("/").pop(), e.encodedBodySize])));
    const dist = new URL("../dist/", import.meta.url);
    for (const file of ["aftersale-widget_bg.wasm", "aftersale-widget.js"]) {
      const copy = statSync(new URL(`${file}.br`, dist)).size;
      assert.ok(copy < statSync(new URL(file, dist)).size / 2, `${file}.br is compressed`);
      assert.equal(sizes[file], copy, `${file} came as its .br (${JSON.stringify(sizes)})`);
    }
    assert.deepEqual(page.errors, []);
    await page.close();
  },

  async "a quantity typed over with the keyboard is the number typed"() {
    // Select all, Backspace, 3: the new item's field showed 1 as soon as it
    // was emptied, and the 3 typed after it made 13.
    const page = await open("X-105");
    await choose(page, "exchange", "changed_mind");
    await page.selectOption(`${w}.aftersale__exchange`, "1");
    const wanted = page.locator(`${w}.aftersale__exchange-qty`);
    await wanted.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Backspace");
    assert.equal(await wanted.inputValue(), "", "an emptied field stays empty");
    await page.keyboard.type("3");
    assert.equal(await wanted.inputValue(), "3");
    // Emptied and left, it says what the figures count: one.
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Tab");
    assert.equal(await wanted.inputValue(), "1");
    assert.deepEqual(page.errors, []);
    await page.close();
  },

  async "a cancellation 30 hours after ordering pays the 2% fee"() {
    const page = await open("X-101");
    await choose(page, "cancel", "");
    // (189.00 + 2 × 39.90 + 9.90) × 2% = 5.574 → 5.57
    assert.equal(await amount(page, "aftersale__fee"), "5.57");
    assert.equal(await amount(page, "aftersale__refund"), "273.13");
    const { row } = await submit(page);
    assert.equal(row.kind, "cancel");
    assert.equal(row.quote.fee, "5.57");
    assert.deepEqual(row.quote.clauses, ["xtelary.cancel_fee"]);
    await page.close();
  },

  async "a personal-reason return deducts 5% and lists its steps"() {
    const page = await open("X-105");
    await returnUnits(page, "return", 0, 1);
    // 39.90 × 5% = 1.995 → 2.00; 37.90 back.
    assert.equal(await amount(page, "aftersale__fee"), "2.00");
    assert.equal(await amount(page, "aftersale__refund"), "37.90");
    for (const step of ["rma", "packaging"]) {
      assert.ok(await page.$(`${w}[data-step="${step}"]`), `the ${step} step is shown`);
    }
    const { row } = await submit(page);
    assert.match(await page.textContent(`${w}.aftersale__rma`), /^RMA-[0-9A-F]{10}$/);
    assert.equal(row.rma, (await page.textContent(`${w}.aftersale__rma`)).trim());
    assert.equal(row.quote.refund, "37.90");
    assert.equal(row.quote.return_shipping_paid_by, "customer");
    assert.deepEqual(row.payload.attachments, [{ name: "item.png", type: "image/png", size: 4096 }]);
    assert.deepEqual(row.request.lines, [{ line_id: "L2", quantity: 1 }]);
    // The photo follows the request to the shop: the step is done once the
    // server has the file, byte for byte.
    await page.waitForSelector(`${w}[data-step="photos"][data-done="true"]`, { timeout: 15000 });
    const kept = (await stored()).find((r) => r.id === row.id);
    assert.deepEqual(kept.photos.map((p) => [p.index, p.name, p.type, p.size]), [[0, "item.png", "image/png", 4096]]);
    const file = await fetch(`${base}/api/merchant/requests/${row.id}/photos/0`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(file.headers.get("content-type"), "image/png");
    assert.ok(Buffer.from(await file.arrayBuffer()).equals(png), "the bytes picked");
    // Printed for the parcel: the request, its RMA and steps; not the
    // other options, the controls or any button.
    await page.emulateMedia({ media: "print" });
    assert.ok(await page.isVisible(`${w}.aftersale__rma`));
    assert.ok(await page.isVisible(`${w}[data-step="packaging"]`));
    assert.ok(await page.isVisible(`${w}.aftersale__refund-dates`));
    assert.ok(await page.isHidden(`${w}.aftersale__overview`));
    assert.ok(await page.isHidden(`${w}.aftersale__editor`));
    assert.equal(await page.locator(`${w}button:visible`).count(), 0);
    await page.close();
  },

  async "an exchange for a dearer item asks for the difference"() {
    const page = await open("X-105");
    await returnUnits(page, "exchange", 0, 1);
    // The return above holds one of the two boxes: the other is offered.
    assert.equal((await page.textContent(`${w}#aftersale-held-L2`)).trim(), "1 already in your requests");
    assert.equal(await page.getAttribute(`${w}[data-line="L2"]`, "max"), "1");
    await page.selectOption(`${w}.aftersale__exchange`, "2"); // the 12-slot box, 59.90
    await page.waitForSelector(`${w}.aftersale__customer-pays`);
    assert.equal(await amount(page, "aftersale__customer-pays"), "20.00");
    const { row } = await submit(page);
    assert.equal(row.kind, "exchange");
    assert.equal(row.quote.customer_pays, "20.00");
    assert.equal(row.request.exchange_for.sku, "AC-BOX-12");
    await page.close();
  },

  async "an HTVRont claim for an order not shipped in time compensates 20%"() {
    const page = await open("H-102");
    await choose(page, "claim", "not_shipped_in_time");
    // (3 × 12.50 + 24.99 + 12.50 + 4.99) × 20% = 15.996 → 16.00
    assert.equal(await amount(page, "aftersale__compensation"), "16.00");
    const { row } = await submit(page);
    assert.equal(row.policy_id, "htvront");
    assert.equal(row.quote.compensation, "16.00");
    assert.deepEqual(row.quote.clauses, ["htvront.not_shipped_in_time"]);
    await page.close();
  },

  async "a shop's own policy file decides in the browser and on the server, its texts in German"() {
    // Acme (demo/acme.json, given to the server with --policy): the widget
    // reads it from /api/policies/acme and shows the file's German texts.
    const page = await open("A-100", "de-DE");
    const cancelTerms = "Eine vor dem Versand stornierte Bestellung wird abzüglich einer Bearbeitungsgebühr von 5 % erstattet.";
    assert.equal(await page.textContent(`${w}[data-kind="cancel"] .aftersale__option-when`), cancelTerms);
    await page.waitForSelector("#demo-product .aftersale__phase");
    // The product page too, reading the same file.
    await page.locator("#demo-product").getByText(cancelTerms).first().waitFor();
    await choose(page, "cancel", "");
    // (189.00 + 2 × 49.50 + 4.90) × 5% = 14.645 → 14.65
    assert.equal(await amount(page, "aftersale__fee"), "14.65");
    assert.equal(await amount(page, "aftersale__refund"), "278.25");
    assert.ok((await page.textContent(`${w}.aftersale__result`)).includes(cancelTerms));
    const { row } = await submit(page);
    assert.equal(row.policy_id, "acme");
    assert.equal(row.quote.fee, "14.65");
    assert.deepEqual(row.quote.clauses, ["acme.cancel"]);
    // The stored quote says it in the policy's own words.
    assert.ok(row.quote.explanation.startsWith("An order cancelled before it ships"), row.quote.explanation);
    // Opened again, the browser asks whether the policy changed, with the
    // ETag of its copy (the server answers 304 to that, and the browser
    // keeps its copy), rather than download it again.
    const asked = [];
    page.on("request", (r) => { if (r.url().endsWith("/api/policies/acme")) asked.push(r.allHeaders()); });
    await page.reload();
    await page.waitForSelector(`${w}[data-kind="cancel"]`);
    await page.waitForSelector("#demo-product .aftersale__phase");
    const tags = (await Promise.all(asked)).map((h) => h["if-none-match"]);
    assert.ok(tags.length > 0 && tags.every((t) => /^W\/"[0-9a-f]{32}"$/.test(t)), `If-None-Match: ${tags}`);
    await page.close();
  },

  async "a request sent is listed with the order, and HTVRont's one exchange is then used"() {
    const page = await open("H-100");
    await page.click(`${w}[data-kind="exchange"] .aftersale__choose`);
    await page.waitForSelector(`${w}.aftersale__exchange`);
    await page.fill(`${w}[data-line="L1"]`, "1");
    await page.fill(`${w}[data-line="L2"]`, "0");
    await page.fill(`${w}[data-line="L3"]`, "0");
    await page.selectOption(`${w}.aftersale__exchange`, "1"); // the black vinyl, 10.00
    await page.waitForSelector(`${w}.aftersale__result`);
    // 10.00 − 12.50: 2.50 back.
    assert.equal(await amount(page, "aftersale__refund"), "2.50");
    const { row } = await submit(page);
    assert.equal(row.kind, "exchange");
    const past = `${w}.aftersale__past[data-id="${row.id}"]`;
    assert.equal(await page.getAttribute(past, "data-status"), "requested");
    // The next request starts from the order as the shop now has it: its
    // one exchange is used, with the clause that says so.
    await page.click(`${w}.aftersale__again`);
    await page.waitForSelector(`${w}[data-kind="exchange"][data-state="closed"]`);
    assert.equal(await page.textContent(`${w}[data-kind="exchange"] .aftersale__option-clause`), "htvront.exchange");
    // Coming back later: the list and the status are there after a reload.
    await page.reload();
    await page.waitForSelector(past);
    assert.match(await page.textContent(`${past} .aftersale__past-status`), /Waiting for the shop/);
    assert.match(await page.textContent(`${past} .aftersale__past-items`), /1 × Heat transfer vinyl, red/);
    await page.close();
  },

  async "the shop's systems ship an order while its page is open: the shop refuses the cancellation the page offered, and the page read again has it closed"() {
    // A new order, as the shop's order management puts it: X-101's basket,
    // placed 30 hours ago, not shipped.
    const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const template = await (await fetch(`${base}/api/merchant/orders/X-101`, { headers: auth })).json();
    const id = "X-900";
    template.data.order.id = id;
    const placed = await fetch(`${base}/api/merchant/orders/${id}`, {
      method: "PUT", headers: { ...auth, "If-None-Match": "*" },
      body: JSON.stringify({ policy_id: "xtelary", label: "Put by the shop's systems", data: template.data }),
    });
    assert.equal(placed.status, 201, await placed.text());
    const page = await open(id);
    await choose(page, "cancel", "");
    assert.equal(await amount(page, "aftersale__fee"), "5.57");

    // The warehouse ships it, from the version it read.
    const shipped = structuredClone(template.data);
    shipped.order.shipped_at = new Date(Date.now() - 60_000).toISOString();
    const put = await fetch(`${base}/api/merchant/orders/${id}`, {
      method: "PUT", headers: { ...auth, "If-Match": placed.headers.get("etag") },
      body: JSON.stringify({ policy_id: "xtelary", label: "Put by the shop's systems", data: shipped }),
    });
    assert.equal(put.status, 200, await put.text());

    const before = (await stored()).length;
    await page.fill(`${w}.aftersale__email`, "ana@example.com");
    await page.click(`${w}.aftersale__review`);
    await page.click(`${w}.aftersale__send`);
    await page.waitForSelector(`${w}.aftersale__status[data-state="refused"]`, { timeout: 15000 });
    assert.equal((await page.textContent(`${w}.aftersale__status .aftersale__clauses`)).trim(), "xtelary.cancel_shipped");
    assert.equal((await stored()).length, before, "nothing stored");
    await page.reload();
    await page.waitForSelector(`${w}[data-kind="cancel"][data-state="closed"]`);
    assert.equal((await page.textContent(`${w}[data-kind="cancel"] .aftersale__option-clause`)).trim(), "xtelary.cancel_shipped");
    await page.close();
  },

  async "a tampered submission is refused and the shop's figures are shown"() {
    const page = await open("X-100");
    await page.route("**/api/requests", async (route) => {
      const body = JSON.parse(route.request().postData());
      body.quote.refund = "300.00"; // more than the policy gives
      await route.continue({ postData: JSON.stringify(body) });
    });
    await choose(page, "cancel", "");
    assert.equal(await amount(page, "aftersale__refund"), "278.70");
    const before = (await stored()).length;
    await page.fill(`${w}.aftersale__email`, "mallory@example.com");
    await page.click(`${w}.aftersale__review`);
    await page.click(`${w}.aftersale__send`);
    await page.waitForSelector(`${w}.aftersale__status[data-state="changed"]`, { timeout: 15000 });
    const shown = await page.getAttribute(`${w}.aftersale__status [data-field="refund"]`, "data-amount");
    assert.equal(shown, "278.70", "the customer sees the shop's own refund");
    assert.equal((await stored()).length, before, "nothing stored");
    await page.close();
  },

  async "the merchant view lists the requests and moves one, as the policy allows"() {
    const page = await browser.newPage({ locale: "en-US" });
    const uncaught = [];
    page.on("pageerror", (e) => uncaught.push(e.message));
    // Three a page here, to see the pages come.
    await page.goto(`${base}/merchant?limit=3`);
    await page.fill("#token", "wrong-token");
    await page.click("#login button");
    await page.waitForSelector("#message.error");
    await page.fill("#token", token);
    await page.click("#login button");
    await page.waitForSelector("#requests:not([hidden]) tbody tr");
    const rows = await stored();
    assert.ok(rows.length > 3, `more requests than a page (${rows.length})`);
    const shown = () => page.locator("#requests tbody tr").evaluateAll((trs) => trs.map((tr) => tr.dataset.id));
    assert.deepEqual(await shown(), rows.slice(0, 3).map((r) => r.id), "the newest three first");
    // An address without a status shows every status, and says so.
    assert.equal(await page.$eval("#status", (s) => s.selectedOptions[0]?.textContent), "every status");
    while (await page.isVisible("#more")) {
      const before = (await shown()).length;
      await page.click("#more");
      await page.waitForFunction((n) => document.querySelectorAll("#requests tbody tr").length > n, before);
    }
    assert.deepEqual(await shown(), rows.map((r) => r.id), "then the older ones, each once, in order");
    // The HTVRont compensation claim: approve it, with a note.
    const claim = rows.find((r) => r.order_id === "H-102");
    const row = () => page.locator(`tr[data-id="${claim.id}"]`);
    // Its lines by title, as the order was when it was quoted; its figures
    // in the order's currency.
    const [, , what, settlement] = await row().locator("td").allTextContents();
    const order = claim.order_snapshot;
    assert.ok(claim.request.lines.length > 0);
    for (const l of claim.request.lines) {
      const { title, sku } = order.lines.find((o) => o.id === l.line_id);
      assert.ok(what.includes(`${l.quantity} × ${title} (${sku})`), what);
    }
    const dollars = new Intl.NumberFormat("en-US", { style: "currency", currency: order.currency });
    assert.ok(settlement.startsWith(`compensation ${dollars.format(claim.quote.compensation)}`), settlement);
    // What a changed-mind return's customer said of the items' condition.
    const attested = rows.find((r) => r.request.condition);
    assert.ok(attested, "a stored request has the condition's answers");
    assert.equal(await page.textContent(`tr[data-id="${attested.id}"] .condition`),
      "Customer says: unused, in original packaging, complete.");
    // A return's photo is shown with the request, read with the token.
    const withPhoto = rows.find((r) => r.photos.length > 0);
    assert.ok(withPhoto, "a stored request has a photo");
    const img = page.locator(`tr[data-id="${withPhoto.id}"] .photos img`);
    await img.waitFor();
    assert.match(await img.getAttribute("src"), /^blob:/);
    assert.equal(await img.getAttribute("alt"), `Photo ${withPhoto.photos[0].name}`);
    await row().locator("input").fill("checked the tracking");
    await row().locator('button[data-to="approved"]').click();
    await page.waitForSelector(`tr[data-id="${claim.id}"] .status--approved`);
    // Nothing comes back and nothing ships for this claim: the page offers
    // only paying the compensation or rejecting it.
    const offered = await row().locator("button[data-to]").evaluateAll((bs) => bs.map((b) => b.dataset.to));
    assert.deepEqual(offered, ["refunded", "rejected"]);
    await row().locator('button[data-to="refunded"]').click();
    await page.waitForSelector(`tr[data-id="${claim.id}"] .status--refunded`);
    const after = (await stored()).find((r) => r.id === claim.id);
    assert.equal(after.status, "refunded");
    assert.deepEqual(after.next, []);
    assert.equal(after.events[1].actor, "e2e");
    assert.equal(after.events[1].note, "checked the tracking");
    assert.equal(after.events[2].to, "refunded");
    // Only the refunded ones, when the merchant asks for them.
    await page.selectOption("#status", "refunded");
    await page.waitForFunction((id) => {
      const trs = [...document.querySelectorAll("#requests tbody tr")];
      return trs.length > 0 && trs.every((tr) => tr.querySelector(".status--refunded")) && trs.some((tr) => tr.dataset.id === id);
    }, claim.id);
    const refunded = (await stored()).filter((r) => r.status === "refunded").map((r) => r.id);
    assert.deepEqual(await shown(), refunded.slice(0, 3));
    // None reshipped: the list says so rather than "0 requests".
    assert.equal((await stored()).filter((r) => r.status === "reshipped").length, 0);
    await page.selectOption("#status", "reshipped");
    await page.waitForFunction(() => document.getElementById("requests").hidden);
    assert.equal(await page.textContent("#message"), "No request is reshipped now.");
    // A request approved while only requested ones are shown stays in
    // view, said to have left them, until the list is shown again.
    await page.selectOption("#status", "requested");
    await page.waitForFunction(() => {
      const trs = [...document.querySelectorAll("#requests tbody tr")];
      return trs.length > 0 && trs.every((tr) => tr.querySelector(".status--requested"));
    });
    const approved = (await shown())[0];
    await page.click(`tr[data-id="${approved}"] button[data-to="approved"]`);
    await page.waitForSelector(`tr[data-id="${approved}"] .status--approved`);
    assert.equal(await page.textContent(`tr[data-id="${approved}"] .left-note`),
      "No longer requested: it leaves this list when the list is shown again.");
    assert.equal((await shown())[0], approved, "still in its place");
    await page.selectOption("#status", "");
    await page.waitForFunction((id) => {
      const row = document.querySelector(`tr[data-id="${id}"]`);
      return row && !row.querySelector(".left-note");
    }, approved);
    await page.selectOption("#status", "requested");
    await page.waitForFunction((id) => {
      const trs = [...document.querySelectorAll("#requests tbody tr")];
      return trs.length > 0 && !trs.some((tr) => tr.dataset.id === id);
    }, approved);
    assert.equal(await page.locator(".left-note").count(), 0);
    // A change with no answer (the connection gone), or a proxy's page that
    // is no JSON, is said so; the buttons stay for another try.
    const next = (await shown())[0];
    const approve = page.locator(`tr[data-id="${next}"] button[data-to="approved"]`);
    await page.route("**/status", (route) => route.abort("connectionrefused"));
    await approve.click();
    await page.waitForFunction(() => document.getElementById("message").textContent.startsWith("No answer"));
    assert.equal(await page.textContent("#message"),
      `No answer about ${next}: The server could not be reached: check the connection and try again.`);
    await page.unroute("**/status");
    await page.route("**/status", (route) => route.fulfill({ status: 502, contentType: "text/html", body: "<html>Bad Gateway</html>" }));
    await approve.click();
    await page.waitForFunction(() => document.getElementById("message").textContent.includes("502"));
    assert.equal(await page.textContent("#message"), "Not changed: The server answered 502 Bad Gateway.");
    await page.unroute("**/status");
    assert.equal((await stored()).find((r) => r.id === next).status, "requested");
    // A double click changes it once.
    const posted = [];
    page.on("request", (r) => { if (r.url().endsWith(`${next}/status`)) posted.push(r.method()); });
    await approve.dblclick();
    await page.waitForSelector(`tr[data-id="${next}"] .status--approved`);
    assert.deepEqual(posted, ["POST"]);
    assert.equal(await page.textContent("#message"), `${next} is now approved.`);
    // A parcel comes with its RMA code written on it: typed as it reads,
    // the list finds its request, with whom to write to.
    await page.selectOption("#status", "");
    const parcel = (await stored()).find((r) => r.rma);
    assert.ok(parcel, "a stored request has an RMA code");
    await page.fill("#find", ` ${parcel.rma.replace(/^RMA-/, "").toLowerCase()} `);
    await page.press("#find", "Enter");
    await page.waitForFunction((id) => {
      const trs = [...document.querySelectorAll("#requests tbody tr")];
      return trs.length === 1 && trs[0].dataset.id === id;
    }, parcel.id);
    const mail = page.locator(`tr[data-id="${parcel.id}"] a.contact`);
    assert.equal(await mail.textContent(), parcel.payload.contact.email);
    assert.equal(await mail.getAttribute("href"),
      `mailto:${parcel.payload.contact.email}?subject=${encodeURIComponent(`Order ${parcel.order_id} · ${parcel.rma}`)}`);
    assert.equal(await page.textContent("#message"), `1 request for \u201c${parcel.rma.replace(/^RMA-/, "").toLowerCase()}\u201d.`);
    // The address says what the list shows: a reload (or the link, sent to
    // a colleague) shows it again.
    const code = parcel.rma.replace(/^RMA-/, "").toLowerCase();
    assert.equal(new URL(page.url()).search, `?limit=3&find=${code}`);
    await page.reload();
    await page.waitForFunction((id) => {
      const trs = [...document.querySelectorAll("#requests tbody tr")];
      return trs.length === 1 && trs[0].dataset.id === id;
    }, parcel.id);
    assert.equal(await page.inputValue("#find"), code);
    // And the customer's every request by their email, in any case.
    const email = parcel.payload.contact.email;
    await page.fill("#find", email.toUpperCase());
    await page.press("#find", "Enter");
    const theirs = (await stored()).filter((r) => r.payload.contact.email.toLowerCase() === email.toLowerCase());
    await page.waitForFunction((n) => document.getElementById("message").textContent.startsWith(`${n} request`),
      Math.min(theirs.length, 3));
    assert.deepEqual(await shown(), theirs.slice(0, 3).map((r) => r.id));
    await page.fill("#find", "RMA-0000000000");
    await page.press("#find", "Enter");
    await page.waitForFunction(() => document.getElementById("requests").hidden);
    assert.match(await page.textContent("#message"), /^Nothing found for \u201cRMA-0000000000\u201d/);
    // Emptied: every request again.
    await page.fill("#find", "");
    await page.press("#find", "Enter");
    await page.waitForFunction((n) => document.querySelectorAll("#requests tbody tr").length === n, 3);
    // Every request (not a page of them) as a spreadsheet file; then those
    // the search finds.
    const download = async () => {
      const [file] = await Promise.all([page.waitForEvent("download"), page.click("#csv")]);
      assert.match(file.suggestedFilename(), /^aftersale-requests-\d{4}-\d{2}-\d{2}\.csv$/);
      const text = readFileSync(await file.path(), "utf8");
      assert.ok(text.startsWith("\ufeffreceived_at,request_id,order_id,rma,"), text.slice(0, 60));
      return text.trim().split(/\r?\n/).slice(1);
    };
    const everyRow = await download();
    const everyone = await stored();
    assert.equal(everyRow.length, everyone.length);
    assert.ok(everyRow[0].includes(everyone[0].id), "newest first");
    await page.fill("#find", parcel.rma);
    await page.press("#find", "Enter");
    await page.waitForFunction(() => document.getElementById("message").textContent.startsWith("1 request"));
    const parcelRows = await download();
    assert.equal(parcelRows.length, 1);
    assert.ok(parcelRows[0].includes(`${parcel.id},${parcel.order_id},${parcel.rma},`), parcelRows[0]);
    assert.deepEqual(uncaught, [], "no error the page did not catch");
    await page.close();

    // A merchant whose browser writes 5,57 gets the file as their
    // spreadsheet reads it: a decimal comma, fields split by semicolons.
    const german = await browser.newPage({ locale: "de-DE" });
    await german.goto(`${base}/merchant?find=${parcel.rma}`);
    await german.fill("#token", token);
    await german.click("#login button");
    await german.waitForFunction(() => document.getElementById("message").textContent.startsWith("1 request"));
    const [file] = await Promise.all([german.waitForEvent("download"), german.click("#csv")]);
    const germanText = readFileSync(await file.path(), "utf8");
    assert.ok(germanText.startsWith("\ufeffreceived_at;request_id;order_id;rma;"), germanText.slice(0, 60));
    const [header, germanRow] = germanText.slice(1).trim().split(/\r?\n/);
    // (A field with a `;` in it, such as two items, comes in quotes.)
    const fields = (line) => [...line.matchAll(/("(?:[^"]|"")*"|[^;]*)(?:;|$)/g)]
      .map((m) => m[1].replace(/^"([\s\S]*)"$/, "$1").replace(/""/g, "\""));
    const columns = fields(header);
    const cells = fields(germanRow);
    assert.equal(cells[columns.indexOf("refund")], parcel.quote.refund.replace(".", ","));
    assert.equal(cells[columns.indexOf("rma")], parcel.rma);
    await german.close();

    // Photos may be megabytes each: a photo is fetched only when its row
    // comes near the screen (here a short one), and once.
    const short = await browser.newPage({ locale: "en-US", viewport: { width: 1280, height: 240 } });
    const asked = [];
    short.on("request", (r) => {
      if (r.url().includes("/photos/")) asked.push(new URL(r.url()).pathname);
    });
    await short.goto(`${base}/merchant`);
    await short.fill("#token", token);
    await short.click("#login button");
    await short.waitForSelector(`tr[data-id="${withPhoto.id}"]`);
    // Two frames: the observer has had its say on what is in view.
    await short.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const photoRow = short.locator(`tr[data-id="${withPhoto.id}"]`);
    const below = await photoRow.evaluate((tr) => tr.getBoundingClientRect().top - innerHeight);
    assert.ok(below > 100, `the photo's row starts ${below} px below the screen`);
    const path = `/api/merchant/requests/${withPhoto.id}/photos/0`;
    assert.ok(!asked.includes(path), `not fetched while out of sight: ${asked}`);
    await photoRow.scrollIntoViewIfNeeded();
    await photoRow.locator(".photos img").waitFor();
    assert.deepEqual(asked.filter((p) => p === path), [path], "fetched once it is near");
    await short.close();
    // A photo that cannot be fetched says why, in words.
    const offline = await browser.newPage({ locale: "en-US" });
    await offline.route("**/photos/**", (route) => route.abort("connectionrefused"));
    await offline.goto(`${base}/merchant`);
    await offline.fill("#token", token);
    await offline.click("#login button");
    await offline.locator(`tr[data-id="${withPhoto.id}"]`).scrollIntoViewIfNeeded();
    const lost = offline.locator(`tr[data-id="${withPhoto.id}"] .photos li.missing`);
    await lost.waitFor();
    assert.match(await lost.textContent(), /· cannot be read \(no connection to the server\)$/);
    await offline.close();
  },

  async "the product page and the cart show the terms of their items if ordered now"() {
    const page = await open("H-105");
    const status = await htvrontSummaries(page, "#demo-product", "demo");
    // The product page of the order's shop, in the language picked here.
    assert.equal(await page.getAttribute(".demo-products", "href"), "/product.html?shop=htvront&lang=en");
    await page.click('#demo-cart-items button[aria-label="Remove Glitter HTV bundle, 12 sheets"]');
    await page.waitForFunction(() => document.querySelector("#demo-cart-items").children.length === 1);
    await page.waitForSelector("#demo-cart-terms .aftersale__on-its-way");
    assert.equal(await status("#demo-cart-terms", "htvront.cancel_before_shipment"), "Store credit $17.49");
    // Another shop, another cart.
    await page.selectOption("#demo-order", "X-105");
    await page.waitForFunction(() => document.getElementById("demo-cart").hidden);
    assert.deepEqual(page.errors, [], "no errors or warnings in the console");
    await page.close();
  },

  async "a product page loads only the terms bundle: its summaries, in each language, and a clear error for an order"() {
    const page = await browser.newPage({ locale: "en-US", timezoneId: "Europe/Berlin" });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => { if (["error", "warning"].includes(m.type())) errors.push(`${m.type()}: ${m.text()}`); });
    const asked = [];
    page.on("response", (r) => asked.push({ path: new URL(r.url()).pathname, encoding: r.headers()["content-encoding"] }));
    await page.goto(`${base}/product.html?shop=htvront`);
    // The same figures as the order page's summaries.
    await htvrontSummaries(page, "#product-terms", "product");
    // Every text the summaries show is in the terms bundle's catalogues,
    // which leave the order widget's out (i18n::NOT_IN_TERMS_BUNDLE).
    const complete = async () => {
      const texts = await page.$$eval("[data-aftersale]", (all) => all.map((el) => el.shadowRoot.textContent));
      assert.ok(texts.length >= 1 && texts.every((text) => text.includes("·")), JSON.stringify(texts));
      assert.ok(!texts.some((text) => text.includes("[a text of order pages]")), JSON.stringify(texts));
    };
    await complete();
    // Only the terms bundle came, each file as its brotli copy; never the
    // order widget.
    const files = asked.filter((a) => a.path.startsWith("/aftersale-"));
    assert.deepEqual([...new Set(files.map((f) => f.path))].sort(), ["/aftersale-terms.js", "/aftersale-terms_bg.wasm"]);
    assert.ok(files.every((f) => f.encoding === "br"), JSON.stringify(files));
    // Another shop: its cart emptied, its own schedule (xtelary: free for
    // 24 h, then 2% until shipment); in German.
    await page.selectOption("#product-shop", "xtelary");
    await page.waitForSelector('#product-terms [data-clause="xtelary.cancel_fee"]');
    assert.equal(await page.isHidden("#product-cart"), true, "a cart belongs to one shop");
    assert.match(page.url(), /shop=xtelary/);
    await page.selectOption("#product-locale", "de-DE");
    await page.locator("#product-terms").getByText("Vor dem Versand").waitFor();
    assert.equal(await page.getAttribute("#product-terms .aftersale", "lang"), "de");
    await complete();
    // The page's own words too, and a reload keeps the shop and the
    // language (both in the address).
    const german = async () => {
      assert.equal(await page.getAttribute("html", "lang"), "de");
      assert.equal(await page.textContent("#product-terms-title"), "Vor dem Kauf");
      assert.match(await page.textContent("#product-title"), /^Doppelter Uhrenbeweger mit Fingerabdruckschloss · 189,00\s\$$/);
    };
    await german();
    assert.match(page.url(), /shop=xtelary&lang=de$/);
    await page.reload();
    await page.locator("#product-terms").getByText("Vor dem Versand").waitFor();
    assert.equal(await page.inputValue("#product-locale"), "de-DE");
    await german();
    // In Chinese, a cart of both products too.
    await page.selectOption("#product-locale", "zh-CN");
    await page.locator("#product-terms").getByText("发货前").first().waitFor();
    await page.click("#product-buy button");
    await page.selectOption("#product-item", "1");
    await page.click("#product-buy button");
    await page.waitForSelector("#product-cart-terms .aftersale[lang=zh-Hans]");
    await complete();
    assert.deepEqual(await axe(page), [], "axe-core violations on the product page");
    // An order given to this bundle: said in its place and as an event,
    // and thrown by the handle's update, naming the bundle to load.
    const said = await page.evaluate(async () => {
      const el = document.createElement("div");
      document.querySelector("main").appendChild(el);
      const event = new Promise((done) => el.addEventListener("aftersale:error", (e) => done(e.detail.message)));
      const handle = window.Aftersale.mount(el, { policy: "xtelary", order: {} });
      let thrown = null;
      try { handle.update({}); } catch (e) { thrown = String(e); }
      return { event: await event, thrown };
    });
    assert.match(said.event, /aftersale-terms\.js.*product and cart pages.*aftersale-widget\.js/);
    assert.equal(said.thrown, said.event);
    await page.locator("main > div:last-child").getByText("an order page loads aftersale-widget.js").waitFor();
    assert.deepEqual(errors, [], "no errors or warnings in the console");
    await page.close();
  },

  async "a language picked before the shop's orders have come draws the order in it when they come"() {
    const page = await browser.newPage({ locale: "en-US" });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    let release;
    const held = new Promise((done) => { release = done; });
    await page.route("**/api/orders", async (route) => { await held; await route.continue(); });
    await page.goto(`${base}/?order=X-105`);
    await page.selectOption("#demo-locale", "de-DE");
    release();
    await page.waitForSelector(`${w}[data-kind="cancel"]`);
    assert.equal(await page.textContent("#demo-title"), "Order X-105");
    await page.getByText("Was Sie mit dieser Bestellung tun können").waitFor();
    assert.deepEqual(errors, [], "nothing thrown while the orders were on their way");
    await page.close();
  },

  async "axe-core finds no violations on the shop's pages, in each state and language"() {
    const states = [
      ["X-105 overview", "X-105", "en-US", null],
      // The flows above sent both display boxes of X-105 (a return, an
      // exchange): they are held, and the watch winder is what is left.
      ["X-105 return with its quote", "X-105", "en-US", async (page) => { await returnUnits(page, "return", 1, 0); }],
      ["H-105 damaged claim with resolutions", "H-105", "en-US", async (page) => { await choose(page, "claim", "damaged"); }],
      ["X-105 exchange under review", "X-105", "en-US", async (page) => {
        await returnUnits(page, "exchange", 1, 0);
        await page.selectOption(`${w}.aftersale__exchange`, "1");
        await page.setInputFiles(`${w}.aftersale__photo-input`,
          { name: "box.jpg", mimeType: "image/jpeg", buffer: jpeg });
        await page.fill(`${w}.aftersale__email`, "ana@example.com");
        await page.click(`${w}.aftersale__review`);
        await page.waitForSelector(`${w}.aftersale__review-panel`);
      }],
      ["X-100 German", "X-100", "de-DE", async (page) => { await choose(page, "cancel", ""); }],
      // The first flow cancelled X-101: its cancellation is already requested.
      ["X-101 German, already requested", "X-101", "de-DE", async (page) => {
        await page.waitForSelector(`${w}[data-kind="cancel"][data-state="requested"]`);
      }],
      ["H-102 Chinese", "H-102", "zh-CN", null],
      // A shop's own policy file, its Chinese texts (its cancellation was
      // sent by the flow above).
      ["A-100 Chinese, its own policy", "A-100", "zh-CN", null],
      ["H-105 cart", "H-105", "en-US", async (page) => {
        await page.click("#demo-buy button");
        await page.waitForSelector("#demo-cart-terms .aftersale");
      }],
    ];
    const found = [];
    for (const [name, order, locale, act] of states) {
      const page = await open(order, locale);
      if (act) await act(page);
      await page.waitForSelector("#demo-product .aftersale");
      found.push(...(await axe(page)).map((v) => `${name}: ${v}`));
      await page.close();
    }
    const merchant = await browser.newPage();
    await merchant.goto(`${base}/merchant`);
    await merchant.fill("#token", token);
    await merchant.click("#login button");
    await merchant.waitForSelector("#requests:not([hidden]) tbody tr");
    found.push(...(await axe(merchant)).map((v) => `merchant view: ${v}`));
    await merchant.close();
    assert.deepEqual(found, [], "axe-core violations");
  },

  async "the shop and the widget fit a 360 px touch screen, in each language, with targets a finger can hit"() {
    for (const locale of ["en-US", "de-DE", "zh-CN"]) {
      const page = await browser.newPage({ viewport: { width: 360, height: 800 }, locale, hasTouch: true, isMobile: true });
      await page.goto(`${base}/?order=X-105`);
      await page.selectOption("#demo-locale", locale);
      // The widest controls: an exchange with its item list (long titles).
      await page.click(`${w}[data-kind="exchange"][data-reason="changed_mind"] .aftersale__choose`);
      await page.waitForSelector(`${w}.aftersale__exchange`);
      await page.selectOption(`${w}.aftersale__exchange`, "0");
      await page.waitForSelector(`${w}.aftersale__result`);
      const wide = await page.evaluate(() => {
        const out = [];
        const walk = (root) => root.querySelectorAll("*").forEach((e) => {
          const r = e.getBoundingClientRect();
          if (r.width > 0 && r.right > window.innerWidth + 0.5) out.push(`${e.tagName}.${e.className} ends at ${Math.round(r.right)} px`);
          if (e.shadowRoot) walk(e.shadowRoot);
        });
        walk(document);
        return out;
      });
      assert.deepEqual(wide, [], `${locale}: nothing wider than the screen`);
      // Every control of the widget is 44 px high (a box 24 px, its label
      // the rest), and no field's text is under 16 px, which a phone would
      // zoom the page into on focus: here, and where photos are asked for.
      const exchange = await smallTargets(page);
      assert.ok(exchange.seen >= 10, `${locale}: the widget's controls were found (${exchange.seen})`);
      assert.deepEqual(exchange.small, [], `${locale}: targets a finger can hit`);
      await page.click(`${w}[data-kind="return"][data-reason="damaged"] .aftersale__choose`);
      await page.waitForSelector(`${w}.aftersale__photo-input`);
      const photos = await smallTargets(page);
      assert.deepEqual(photos.small, [], `${locale}: targets a finger can hit where photos are asked for`);
      await page.close();
    }
  },

  async "the whole request can be made with the keyboard alone"() {
    const page = await open("H-104");
    // Tab from the top of the page to the first open option's button.
    const focused = () => page.evaluate(() => {
      let el = document.activeElement; // into the widget's shadow root
      while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
      const option = el && el.closest("[data-kind]");
      return el ? (el.className || el.tagName) + "|" + (option ? option.dataset.kind + "/" + option.dataset.reason : "") : "";
    });
    let steps = 0;
    while (!(await focused()).startsWith("aftersale__choose")) {
      await page.keyboard.press("Tab");
      assert.ok(++steps < 40, "a Choose button is reachable with Tab");
    }
    const visible = await page.evaluate(() => {
      let el = document.activeElement;
      while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
      return getComputedStyle(el).outlineStyle;
    });
    assert.notEqual(visible, "none", "focus is visible");
    // Move to the claim "not received" option and choose it with Enter.
    while ((await focused()) !== "aftersale__choose|claim/not_received") {
      await page.keyboard.press("Tab");
      assert.ok(++steps < 80, "the claim option is reachable with Tab");
    }
    await page.keyboard.press("Enter");
    await page.waitForSelector(`${w}.aftersale__result`);
    while (!(await focused()).startsWith("aftersale__email")) {
      await page.keyboard.press("Tab");
      assert.ok(++steps < 160, "the email field is reachable with Tab");
    }
    await page.keyboard.type("kim@example.com");
    await page.keyboard.press("Tab");
    assert.match(await focused(), /^aftersale__review/);
    await page.keyboard.press("Enter");
    // The focus moves to the review; from there, Tab reaches "Change" then "Send".
    await page.waitForSelector(`${w}.aftersale__review-panel`);
    assert.match(await focused(), /aftersale__review-title/);
    await page.keyboard.press("Tab");
    assert.match(await focused(), /^aftersale__edit/);
    await page.keyboard.press("Tab");
    assert.match(await focused(), /^aftersale__send/);
    await page.keyboard.press("Enter");
    await page.waitForSelector(`${w}.aftersale__status[data-state="created"]`, { timeout: 15000 });
    const id = (await page.textContent(`${w}.aftersale__request-id`)).trim();
    const row = (await stored()).find((r) => r.id === id);
    assert.equal(row.kind, "claim");
    assert.equal(row.payload.contact.email, "kim@example.com");
    await page.close();
  },

  async "a photo on its way survives a reload and reaches the shop from the page opened again"() {
    const page = await open("H-105");
    await choose(page, "claim", "damaged");
    await page.check(`${w}input[name*="resolution"] >> nth=0`);
    // A slow connection: the request is created, its photo is still on its
    // way (the route holds it) when the page is reloaded.
    let held = 0;
    let hold = true;
    await page.route("**/photos/**", (route) => {
      if (!hold) return route.continue();
      held += 1; // never answered: the page goes first
    });
    const { row } = await submit(page);
    await page.waitForSelector(`${w}[data-step="photos"]:has-text("0 of 1")`);
    assert.equal(held, 1);
    // Its bytes are on their way (a bar says how far), with nothing axe-core finds.
    await page.waitForSelector(`${w}[data-step="photos"] .aftersale__photos-bar`);
    assert.deepEqual(await axe(page), [], "no axe violations while a photo is on its way");
    assert.deepEqual((await stored()).find((r) => r.id === row.id).photos, [], "no photo yet");
    // The customer reloads (and says yes to leaving while photos are on
    // their way); the connection is back.
    hold = false;
    page.on("dialog", (d) => d.accept());
    page.errors.length = 0;
    await page.reload();
    // The page opened again sends the request again (the same answer: the
    // same request, not a second one) and then the photo it kept.
    await page.waitForSelector(`${w}.aftersale__photos-progress:has-text("Done: your photo (item.png)")`, { timeout: 15000 });
    assert.equal((await page.textContent(`${w}.aftersale__request-id`)).trim(), row.id);
    const rows = (await stored()).filter((r) => r.order_id === "H-105");
    assert.equal(rows.length, 1, "one request");
    assert.deepEqual(rows[0].photos.map((p) => [p.index, p.name, p.size]), [[0, "item.png", 4096]]);
    const file = await fetch(`${base}/api/merchant/requests/${row.id}/photos/0`, { headers: { Authorization: `Bearer ${token}` } });
    assert.ok(Buffer.from(await file.arrayBuffer()).equals(png), "the bytes picked before the reload");
    // Nothing is kept in the browser any more.
    assert.deepEqual(await page.evaluate(async () => [
      Object.keys(localStorage).filter((k) => k.startsWith("aftersale.pending")),
      (await (await caches.open("aftersale-photos")).keys()).length,
    ]), [[], 0]);
    await page.close();
  },

  async "a large photo goes in parts, and a connection lost half way costs only that part"() {
    const page = await open("X-105");
    await choose(page, "return", "damaged");
    await page.fill(`${w}[data-line="L1"]`, "1");
    const l2 = page.locator(`${w}[data-line="L2"]`);
    if (!(await l2.isDisabled())) await l2.fill("0");
    // A photo of 2.5 MiB whose bytes differ from place to place, so that
    // parts joined out of order or from the wrong place would show.
    const size = 2621440;
    const big = Buffer.alloc(size);
    for (let i = 0; i < size; i++) big[i] = (i * 7 + (i >> 12)) % 251;
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    // The connection drops while the second part is on its way (once the
    // request's confirmation is shown).
    const ranges = [];
    let release;
    const confirmed = new Promise((resolve) => { release = resolve; });
    await page.route("**/photos/**", async (route) => {
      const range = route.request().headers()["content-range"] ?? "";
      ranges.push(range);
      if (ranges.filter((r) => r === range).length === 1 && range.startsWith("bytes 1048576-")) {
        await confirmed;
        return route.abort("connectionreset");
      }
      return route.continue();
    });
    const { row } = await submit(page, { name: "crack.jpg", mimeType: "image/jpeg", buffer: big });
    release();
    await page.waitForSelector(`${w}[data-step="photos"][data-done="true"]`, { timeout: 20000 });
    // Asked how much was in, sent two parts, lost the second; asked again
    // (the first part was in) and sent the rest from there.
    assert.deepEqual(ranges, [
      `bytes */${size}`, `bytes 0-1048575/${size}`, `bytes 1048576-2097151/${size}`,
      `bytes */${size}`, `bytes 1048576-2097151/${size}`, `bytes 2097152-${size - 1}/${size}`,
    ]);
    // The shop has it whole, byte for byte, and no part of it left over.
    const kept = (await stored()).find((r) => r.id === row.id);
    assert.deepEqual(kept.photos.map((p) => [p.name, p.type, p.size]), [["crack.jpg", "image/jpeg", size]]);
    const file = await fetch(`${base}/api/merchant/requests/${row.id}/photos/0`, { headers: { Authorization: `Bearer ${token}` } });
    assert.ok(Buffer.from(await file.arrayBuffer()).equals(big), "the bytes picked, in order");
    // The one thing the console says is the connection lost.
    assert.deepEqual(page.errors.filter((e) => !e.includes("ERR_CONNECTION_RESET")), []);
    await page.close();
  },

  async "a second tab opened while a photo is on its way waits for the first to send it"() {
    const context = await browser.newContext({ locale: "en-US", timezoneId: "Europe/Berlin" });
    const first = await open("X-103", "en-US", context);
    await choose(first, "return", "damaged");
    await first.fill(`${w}[data-line="L2"]`, "0");
    for (const box of await first.$$(`${w}.aftersale__condition`)) await box.check();
    // The photo is held on the wire while the customer opens the order in
    // a second tab of the same browser.
    const held = [];
    await context.route("**/photos/**", (route) => { held.push(route); });
    const { row } = await submit(first);
    await first.waitForSelector(`${w}[data-step="photos"]:has-text("0 of 1")`);
    const second = await open("X-103", "en-US", context);
    // The second finds the request kept and waits: it neither sends it
    // nor calls its photo lost.
    await second.waitForSelector(`${w}.aftersale__status[data-state="sending"]`);
    await second.waitForTimeout(500);
    assert.equal(held.length, 1, "one photo on its way");
    assert.ok(await second.isHidden(`${w}.aftersale__photos-lost`));
    // The photo arrives; the second tab then shows the order with the request.
    await held[0].continue();
    await context.unroute("**/photos/**");
    await first.waitForSelector(`${w}[data-step="photos"][data-done="true"]`, { timeout: 15000 });
    await second.waitForSelector(`${w}.aftersale__past[data-id="${row.id}"]`, { timeout: 15000 });
    assert.ok(await second.isHidden(`${w}.aftersale__status`));
    const rows = (await stored()).filter((r) => r.order_id === "X-103");
    assert.equal(rows.length, 1, "one request");
    assert.deepEqual(rows[0].photos.map((p) => [p.index, p.name, p.size]), [[0, "item.png", 4096]]);
    assert.deepEqual(second.errors, [], "no errors or warnings in the second tab");
    await context.close();
  },

  async "a shop whose orders need their keys: the widget reads and sends with the order's key"() {
    // The shop's order page puts the order's key in both URLs; a page with
    // another key gets the backend's refusal in the widget's place.
    const shopPage = `${keyedBase}/keyed-shop/`;
    const page = await browser.newPage({ locale: "en-US", timezoneId: "Europe/Berlin" });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const wrong = "0".repeat(32);
    await page.route(shopPage, (route) => route.fulfill({
      headers: { "content-type": "text/html; charset=utf-8" },
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Keyed shop</title>
        <script type="module">import init from "/aftersale-widget.js"; init();</script></head><body><main>
        <div id="demo-widget" data-aftersale data-policy="xtelary" data-order-url="/api/orders/X-102?key=${keyedKey}"
             data-endpoint="/api/requests?key=${keyedKey}"></div>
        <div id="wrong-key" data-aftersale data-policy="xtelary" data-order-url="/api/orders/X-102?key=${wrong}"
             data-endpoint="/api/requests?key=${wrong}"></div></main></body></html>`,
    }));
    // Nobody without a key reads the order or lists the orders.
    assert.equal((await fetch(`${keyedBase}/api/orders/X-102`)).status, 403);
    assert.equal((await fetch(`${keyedBase}/api/orders`)).status, 403);
    await page.goto(shopPage);
    const refusal = await page.locator("#wrong-key .aftersale__error").textContent();
    assert.ok(refusal.includes("answered 403"), refusal);
    await page.waitForSelector(`${w}[data-kind="return"][data-reason="wrong_item"] .aftersale__choose`);
    await choose(page, "return", "wrong_item");
    await page.fill(`${w}[data-line="L1"]`, "1");
    for (const box of await page.$$(`${w}.aftersale__condition`)) await box.check();
    page.errors = errors;
    const { row } = await submit(page, undefined, keyedBase);
    await page.waitForSelector(`${w}[data-step="photos"][data-done="true"]`, { timeout: 15000 });
    const kept = (await stored(keyedBase)).find((r) => r.id === row.id);
    assert.equal(kept.order_id, "X-102");
    assert.deepEqual(kept.photos.map((p) => [p.index, p.name, p.size]), [[0, "item.png", 4096]]);
    await page.close();

    // The shop's system behind its webhook is down: the merchant sees the
    // event it did not take, and once it is back, has it sent at once.
    const view = await browser.newPage();
    await view.goto(`${keyedBase}/merchant`);
    await view.fill("#token", token);
    await view.click("#login button");
    await view.waitForSelector("#webhook:not([hidden])", { timeout: 15000 });
    const said = await view.textContent("#webhook-text");
    assert.ok(said.includes(`The webhook to ${otherShop} has not taken 1 event.`), said);
    assert.ok(said.includes(`a new request for order X-102 (`) && said.includes(`request ${row.id})`) && said.includes("503 Service Unavailable"), said);
    assert.deepEqual(await axe(view), [], "no violations with the webhook's notice");
    assert.equal((await fetch(`${otherShop}/hook/fixed`, { method: "POST" })).status, 204);
    await view.click("#send-again");
    await view.waitForSelector("#webhook", { state: "hidden", timeout: 15000 });
    const took = await (await fetch(`${otherShop}/hook/got`)).json();
    assert.deepEqual(took.map((e) => [e.delivery, e.body.type]), [[`${row.id}/1`, "request.created"]]);
    await view.close();
  },

  async "a customer without an account finds an order on the returns page and cancels it"() {
    // The keyed server: the order is found by its number and the email it
    // was placed with, and the widget then reads and sends with its key.
    const page = await browser.newPage({ locale: "en-US", timezoneId: "Europe/Berlin" });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => { if (["error", "warning"].includes(m.type())) errors.push(`${m.type()}: ${m.text()}`); });
    await page.goto(`${keyedBase}/returns.html`);
    await page.click("#find-button");
    assert.equal(await page.textContent("#find-error"), "Give the order number.");
    assert.equal(await page.evaluate(() => document.activeElement.id), "find-order");
    await page.fill("#find-order", "X-100");
    await page.fill("#find-email", "someone.else@example.com");
    await page.click("#find-button");
    await page.waitForFunction(() => document.getElementById("find-error").textContent.startsWith("No order"));
    assert.equal(await page.getAttribute("#find-order", "aria-invalid"), "true");
    assert.deepEqual(await axe(page), [], "no violations on the returns page with its error");
    // The browser logs the 404 it was answered; nothing else.
    assert.deepEqual(errors, ["error: Failed to load resource: the server responded with a status of 404 (Not Found)"]);
    errors.length = 0;

    // As a customer copies it from the confirmation email.
    await page.fill("#find-order", " #X-100 ");
    await page.fill("#find-email", "Mia.Keller@Example.com");
    await page.click("#find-button");
    await page.waitForSelector(`${w}[data-kind="cancel"] .aftersale__choose`, { timeout: 15000 });
    assert.ok(await page.isHidden("#find"));
    assert.equal(await page.textContent("#returns-title"), "Returns and exchanges: order X-100");
    assert.equal(await page.textContent("#found-text"), "Order X-100, placed with Mia.Keller@Example.com.");
    // A reload keeps the order open in this tab.
    await page.reload();
    await page.waitForSelector(`${w}[data-kind="cancel"] .aftersale__choose`, { timeout: 15000 });
    assert.equal(await page.textContent("#found-text"), "Order X-100, placed with Mia.Keller@Example.com.");
    assert.deepEqual(await axe(page), [], "no violations with the order drawn");
    // Placed an hour ago: cancelled free of charge, stored by the keyed
    // server for X-100.
    await choose(page, "cancel", "");
    // The email it was found by is the contact email, filled in.
    assert.equal(await page.inputValue(`${w}.aftersale__email`), "Mia.Keller@Example.com");
    const refund = await amount(page, "aftersale__refund");
    assert.equal(await page.$(`${w}.aftersale__result .aftersale__fee`), null, "no fee shown");
    page.errors = errors;
    const { row } = await submit(page, undefined, keyedBase);
    assert.equal(row.order_id, "X-100");
    assert.equal(row.kind, "cancel");
    assert.deepEqual(row.quote.clauses, ["xtelary.cancel_free"]);
    assert.equal(row.quote.fee, "0.00");
    assert.equal(row.quote.refund, refund);

    // Another order: the form again; the shop slowing guesses is said so.
    await page.click("#find-another");
    assert.ok(await page.isVisible("#find"));
    assert.equal(await page.evaluate(() => document.activeElement.id), "find-order");
    await page.route("**/api/find-order", (route) => route.fulfill({
      status: 429, headers: { "content-type": "application/json", "retry-after": "600" },
      body: JSON.stringify({ status: "invalid", field: "order", message: "too many tries" }),
    }));
    await page.fill("#find-order", "X-101");
    await page.fill("#find-email", "mia.keller@example.com");
    await page.click("#find-button");
    await page.waitForFunction(() => document.getElementById("find-error").textContent.startsWith("Too many"));
    assert.ok((await page.textContent("#find-error")).includes("Try again in 10 min"));
    await page.close();

    // On a phone: nothing wider than the screen, fields a finger can hit
    // and text a phone does not zoom into.
    const phone = await browser.newPage({ viewport: { width: 360, height: 800 }, hasTouch: true, isMobile: true });
    await phone.goto(`${keyedBase}/returns.html`);
    const misfits = await phone.evaluate(() => [...document.querySelectorAll("body *")].flatMap((e) => {
      const r = e.getBoundingClientRect();
      if (r.width === 0) return []; // hidden
      const out = r.right > window.innerWidth + 0.5 ? [`${e.id || e.tagName} ends at ${Math.round(r.right)} px`] : [];
      if (e.matches("input, button") && r.height < 44) out.push(`${e.id}: ${Math.round(r.height)} px high`);
      if (e.matches("input") && parseFloat(getComputedStyle(e).fontSize) < 16) out.push(`${e.id}: text under 16 px`);
      return out;
    }));
    assert.deepEqual(misfits, []);
    await phone.close();
  },

  async "the returns page speaks the customer's language, and the widget on it the same"() {
    // A German browser gets the German page; a language picked there is
    // kept in the URL; the order found is drawn by the widget in the
    // page's language, and drawn again in another one.
    const page = await browser.newPage({ locale: "de-DE", timezoneId: "Europe/Berlin" });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => { if (["error", "warning"].includes(m.type())) errors.push(`${m.type()}: ${m.text()}`); });
    await page.goto(`${keyedBase}/returns.html`);
    const words = () => page.evaluate(() => ({
      lang: document.documentElement.lang,
      title: document.getElementById("returns-title").textContent,
      label: document.querySelector("label[for=find-order]").textContent,
      button: document.getElementById("find-button").textContent,
      error: document.getElementById("find-error").textContent,
    }));
    assert.deepEqual(await words(), {
      lang: "de", title: "Rücksendung und Umtausch", label: "Bestellnummer",
      button: "Bestellung finden", error: "",
    });
    await page.click("#find-button");
    assert.equal((await words()).error, "Geben Sie die Bestellnummer an.");
    await page.fill("#find-order", "X-105");
    await page.fill("#find-email", "niemand@example.com");
    await page.click("#find-button");
    await page.waitForFunction(() => document.getElementById("find-error").textContent.startsWith("Keine Bestellung"));
    assert.deepEqual(await axe(page), [], "no violations on the German page with its error");

    // Chinese picked: the page's words and the error said again, the
    // choice in the URL.
    await page.selectOption("#returns-lang", "zh");
    assert.deepEqual(await words(), {
      lang: "zh-CN", title: "退货和换货", label: "订单号", button: "查找订单",
      error: "没有订单同时符合此订单号和此电子邮箱地址。请对照订单确认邮件检查两者。",
    });
    assert.equal(new URL(page.url()).searchParams.get("lang"), "zh");
    await page.fill("#find-email", "mia.keller@example.com");
    await page.click("#find-button");
    const overview = `${w}#aftersale-overview-title`;
    await page.waitForSelector(`${w}[data-kind="return"] .aftersale__choose`, { timeout: 15000 });
    assert.equal(await page.textContent(overview), "此订单可办理的售后");
    assert.equal(await page.textContent("#found-text"), "订单 X-105，下单邮箱 mia.keller@example.com。");
    assert.deepEqual(await axe(page), [], "no violations on the Chinese page with the order drawn");
    // A reload keeps both the order and the language.
    await page.reload();
    await page.waitForSelector(`${w}[data-kind="return"] .aftersale__choose`, { timeout: 15000 });
    assert.equal(await page.textContent(overview), "此订单可办理的售后");
    assert.equal((await words()).title, "退货和换货：订单 X-105");
    // Back to German: the widget is drawn again in it.
    await page.selectOption("#returns-lang", "de");
    await page.locator(overview, { hasText: "Was Sie mit dieser Bestellung tun können" }).waitFor({ timeout: 15000 });
    assert.equal(await page.textContent("#found-text"), "Bestellung X-105, aufgegeben mit mia.keller@example.com.");
    // The browser logs the 404 the wrong email was answered; nothing else.
    assert.deepEqual(errors, ["error: Failed to load resource: the server responded with a status of 404 (Not Found)"]);
    await page.close();

    // The shop's link to it carries the language picked on the order page.
    const shop = await browser.newPage({ locale: "en-US", timezoneId: "Europe/Berlin" });
    await shop.goto(`${base}/`);
    await shop.selectOption("#demo-locale", "zh-CN");
    assert.equal(await shop.getAttribute(".demo-returns", "href"), "/returns.html?lang=zh");
    await shop.close();
  },

  async "a shop with a strict Content-Security-Policy gets the widget styled and working"() {
    // A shop page that allows no inline script or style, fetches only from
    // itself and enforces Trusted Types: the widget is loaded by a module
    // file, its order comes by URL, and it draws, styled, is drawn again
    // when its element comes back, and sends a request and its photo.
    const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
      + "connect-src 'self'; img-src 'self'; require-trusted-types-for 'script'";
    const strict = `${base}/strict-shop`;
    const page = await browser.newPage({ locale: "en-US", timezoneId: "Europe/Berlin" });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => { if (["error", "warning"].includes(m.type())) errors.push(`${m.type()}: ${m.text()}`); });
    page.errors = errors;
    await page.route(`${strict}/`, (route) => route.fulfill({
      headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": csp },
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Strict shop</title>
        <script type="module" src="/strict-shop/boot.js"></script></head><body><main>
        <div id="demo-widget" data-aftersale data-policy="xtelary" data-order-url="/api/orders/X-102"
             data-endpoint="/api/requests"></div></main></body></html>`,
    }));
    await page.route(`${strict}/boot.js`, (route) => route.fulfill({
      headers: { "content-type": "text/javascript" },
      body: `window.violations = [];
        document.addEventListener("securitypolicyviolation", (e) => window.violations.push(e.violatedDirective));
        import init from "/aftersale-widget.js";
        init();`,
    }));
    await page.goto(`${strict}/`);
    await page.waitForSelector(`${w}[data-kind="return"][data-reason="wrong_item"] .aftersale__choose`);
    // Styled as on the demo page, which has no such policy.
    const looks = (p) => p.$eval(`${w}[data-kind="return"][data-reason="wrong_item"] .aftersale__choose`, (b) => {
      const css = getComputedStyle(b);
      return [css.backgroundColor, css.color, css.borderRadius, css.paddingLeft, css.fontWeight];
    });
    const demo = await open("X-102");
    const styled = await looks(demo);
    await demo.close();
    assert.notEqual(styled[2], "0px", "the demo's button has the widget's radius");
    assert.deepEqual(await looks(page), styled, "the widget's styles apply under the policy");
    // A single-page shop takes the element out and puts it back.
    await page.evaluate(() => {
      const el = document.getElementById("demo-widget");
      const parent = el.parentNode;
      el.remove();
      return new Promise((done) => setTimeout(() => { parent.append(el); window.Aftersale.mountAll(); done(); }, 50));
    });
    await page.waitForSelector(`${w}[data-kind="return"][data-reason="wrong_item"] .aftersale__choose`);
    assert.deepEqual(await looks(page), styled, "drawn again, styled");
    // A wrong item sent before shipment (Xtelary's reading): a return, with a photo.
    await choose(page, "return", "wrong_item");
    await page.fill(`${w}[data-line="L1"]`, "1");
    for (const box of await page.$$(`${w}.aftersale__condition`)) await box.check();
    const { row } = await submit(page);
    await page.waitForSelector(`${w}[data-step="photos"][data-done="true"]`, { timeout: 15000 });
    const kept = (await stored()).find((r) => r.id === row.id);
    assert.deepEqual(kept.photos.map((p) => [p.index, p.name, p.size]), [[0, "item.png", 4096]]);
    assert.deepEqual(await page.evaluate(() => window.violations), [], "nothing the policy blocks");
    assert.deepEqual(errors, [], "no errors or warnings in the console");
    await page.close();
  },
  async "a shop's page on another origin loads the widget from the backend and sends through it"() {
    // The shop's page on an origin of its own (e2e/other-shop.mjs, allowed by
    // the server), the widget's files, the order and the requests at the
    // backend's: the module, the preloaded wasm, the order (and the
    // backend's clock in its Date) and the preflighted POST cross origins.
    const page = await browser.newPage({ locale: "en-US", timezoneId: "Europe/Berlin" });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => { if (["error", "warning"].includes(m.type())) errors.push(`${m.type()}: ${m.text()}`); });
    page.errors = errors;
    const wasm = [];
    page.on("request", (r) => { if (r.url().endsWith(".wasm")) wasm.push(r.url()); });
    await page.goto(`${otherShop}/?base=${encodeURIComponent(base)}&policy=htvront&order=H-101`);
    // (A browser that refuses the files says why in the console.)
    await page.waitForSelector(`${w}[data-kind="cancel"] .aftersale__choose`, { timeout: 15000 })
      .catch((e) => { throw new Error(`${e.message}\n${errors.join("\n")}`); });
    // Placed 30 hours ago, not shipped: HTVRont keeps the order as store
    // credit, and the backend stores the figures the widget showed.
    await choose(page, "cancel", "");
    const credit = await amount(page, "aftersale__store-credit");
    const { row } = await submit(page);
    assert.equal(row.order_id, "H-101");
    assert.equal(row.kind, "cancel");
    assert.equal(row.quote.store_credit, credit);
    assert.deepEqual(row.quote.clauses, ["htvront.cancel_before_shipment"]);
    // The preload is the request the module makes: the wasm comes once.
    assert.deepEqual(wasm, [`${base}/aftersale-widget_bg.wasm`]);
    assert.deepEqual(errors, [], "no errors or warnings in the console");
    await page.close();
  },
};

/**
 * The widget's controls (in shadow roots too) smaller than a finger: under
 * 44 px high (a check box under 24 px, or its label under 44), or a field
 * with text under 16 px; and how many controls were seen.
 */
async function smallTargets(page) {
  return page.evaluate(() => {
    const small = [];
    let seen = 0;
    const walk = (root) => root.querySelectorAll("*").forEach((e) => {
      if (e.shadowRoot) walk(e.shadowRoot);
      if (!e.closest(".aftersale") || !e.matches("button, input, select")) return;
      const r = e.getBoundingClientRect();
      if (r.width === 0) return;
      seen += 1;
      const box = e.matches("[type=checkbox], [type=radio]");
      const label = box ? e.closest("label").getBoundingClientRect().height : r.height;
      if (r.height < (box ? 24 : 44) || label < 44) small.push(`${e.className || e.type}: ${Math.round(r.height)} px high`);
      const font = parseFloat(getComputedStyle(e).fontSize);
      if (e.matches("input:not([type=checkbox], [type=radio], [type=file]), select") && font < 16) {
        small.push(`${e.className}: ${font} px text`);
      }
    });
    walk(document);
    return { small, seen };
  });
}

/** Runs axe-core on the page; one line per violation and node. */
async function axe(page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => window.axe.run(document));
  return result.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`));
}

let passed = 0;
let failed = 0;
// E2E_ONLY=words runs only the flows whose names hold them (while working
// on one); the count says how many were left out.
const only = process.env.E2E_ONLY;
let left = 0;
for (const [name, flow] of Object.entries(flows)) {
  if (only && !name.includes(only)) {
    left += 1;
    continue;
  }
  try {
    await flow();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAILED - ${name}\n${e.stack}`);
  }
}
await browser.close();
try {
  const counts = checkSeenEvents();
  assert.ok(counts["aftersale:quote"] > 0 && counts["aftersale:submitted"] > 0, `events seen: ${JSON.stringify(counts)}`);
  passed += 1;
  console.log(`ok - every event detail the flows saw is as types/aftersale.d.ts declares it (${JSON.stringify(counts)})`);
} catch (e) {
  failed += 1;
  console.log(`FAILED - the event details against types/aftersale.d.ts\n${e.stack}`);
}
console.log(`e2e: ${passed} passed, ${failed} failed${left ? `, ${left} left out by E2E_ONLY` : ""}`);
process.exit(failed === 0 ? 0 : 1);
