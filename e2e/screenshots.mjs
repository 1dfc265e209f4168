// The README's pictures of the widget, taken from the demo shop in headless
// Chromium (playwright-core with the system Chromium):
//
//   node e2e/screenshots.mjs <base URL> <output dir> [merchant token]
//
// docs/screenshot.png: a delivered Xtelary order, a changed-mind return.
// docs/review.png: an Xtelary exchange with a photo and an email, under review.
// docs/returns.png: the returns page, X-105 found by its number and email.
// docs/product.png: the product page (the terms bundle), an HTVRont roll.
// docs/merchant.png (with a token): the merchant view after an HTVRont
// claim and an Xtelary return are sent (on a fresh database, these two).
import { chromium } from "playwright-core";

const [base, out, token] = process.argv.slice(2);
if (!base || !out) {
  console.error("usage: node e2e/screenshots.mjs <base URL> <output dir>");
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const w = "#demo-widget ";

// A photo of a scratched acrylic box, drawn for the pictures (a real JPEG,
// so the merchant view shows it).
const photo = await (async () => {
  const page = await browser.newPage({ viewport: { width: 320, height: 240 } });
  await page.setContent(`<body style="margin:0;height:240px;background:linear-gradient(160deg,#d9dee6,#8d97a8)">
    <div style="position:absolute;left:70px;top:50px;width:180px;height:130px;border:3px solid #f4f7fb;
      background:rgba(255,255,255,.35);box-shadow:8px 10px 0 rgba(0,0,0,.18)"></div>
    <div style="position:absolute;left:110px;top:80px;width:90px;height:3px;background:#6b3b2a;transform:rotate(28deg)"></div>
    <div style="position:absolute;left:125px;top:100px;width:60px;height:2px;background:#6b3b2a;transform:rotate(21deg)"></div>
  </body>`);
  const buffer = await page.screenshot({ type: "jpeg", quality: 80 });
  await page.close();
  return { name: "box-front.jpg", mimeType: "image/jpeg", buffer };
})();

async function open(order, width) {
  const page = await browser.newPage({
    locale: "en-US", timezoneId: "Europe/Berlin", viewport: { width, height: 900 },
  });
  await page.goto(`${base}/?order=${order}`);
  await page.waitForSelector(`${w}[data-kind="return"] .aftersale__choose`);
  return page;
}

async function pick(page, kind, reason, quantities) {
  await page.click(`${w}[data-kind="${kind}"][data-reason="${reason}"] .aftersale__choose`);
  for (const [line, n] of Object.entries(quantities)) {
    await page.fill(`${w}[data-line="${line}"]`, String(n));
  }
  for (const box of await page.$$(`${w}.aftersale__condition`)) {
    await box.check();
  }
}

{
  const page = await open("X-105", 1100);
  await pick(page, "return", "changed_mind", { L1: 0, L2: 1 });
  await page.waitForSelector(`${w}.aftersale__result[data-eligible="true"]`);
  await page.screenshot({
    path: `${out}/screenshot.png`, fullPage: true, clip: { x: 0, y: 0, width: 1100, height: 1500 },
  });
}
{
  const page = await open("X-105", 1100);
  await pick(page, "exchange", "changed_mind", { L1: 0, L2: 1 });
  const box12 = await page.$eval(`${w}.aftersale__exchange`,
    (s) => [...s.options].find((o) => o.text.includes("12 slots")).value);
  await page.selectOption(`${w}.aftersale__exchange`, box12);
  await page.setInputFiles(`${w}.aftersale__photo-input`, photo);
  await page.fill(`${w}.aftersale__email`, "ana@example.com");
  await page.click(`${w}.aftersale__review`);
  await page.waitForSelector(`${w}.aftersale__review-panel`);
  await (await page.$(`${w}.aftersale__quote`)).screenshot({ path: `${out}/review.png` });
}
{
  const page = await browser.newPage({
    locale: "en-US", timezoneId: "Europe/Berlin", viewport: { width: 900, height: 760 },
  });
  await page.goto(`${base}/returns.html`);
  await page.fill("#find-order", "X-105");
  await page.fill("#find-email", "mia.keller@example.com");
  await page.click("#find-button");
  await page.waitForSelector(`${w}[data-kind="return"] .aftersale__choose`);
  await page.screenshot({ path: `${out}/returns.png` });
}
{
  const page = await browser.newPage({
    locale: "en-US", timezoneId: "Europe/Berlin", viewport: { width: 900, height: 900 },
  });
  await page.goto(`${base}/product.html?shop=htvront`);
  await page.waitForSelector("#product-terms .aftersale__on-its-way");
  await page.screenshot({ path: `${out}/product.png` });
}
if (token) {
  for (const [order, kind, reason] of [["H-102", "claim", "not_shipped_in_time"],
                                       ["X-105", "return", "changed_mind"]]) {
    const page = await browser.newPage({ locale: "en-US", timezoneId: "Europe/Berlin" });
    await page.goto(`${base}/?order=${order}`);
    await page.waitForSelector(`${w}[data-kind="${kind}"][data-reason="${reason}"] .aftersale__choose`);
    await pick(page, kind, reason, order === "X-105" ? { L1: 0, L2: 1 } : {});
    await page.waitForSelector(`${w}.aftersale__result[data-eligible="true"]`);
    if (await page.$(`${w}.aftersale__photo-input`)) {
      await page.setInputFiles(`${w}.aftersale__photo-input`, photo);
    }
    await page.fill(`${w}.aftersale__email`, "ana@example.com");
    await page.click(`${w}.aftersale__review`);
    await page.click(`${w}.aftersale__send`);
    await page.waitForSelector(`${w}.aftersale__status[data-state="created"]`);
    // The photo follows the request.
    if (order === "X-105") await page.waitForSelector(`${w}[data-step="photos"][data-done="true"]`);
    await page.close();
  }
  const page = await browser.newPage({
    locale: "en-US", timezoneId: "Europe/Berlin", viewport: { width: 1100, height: 560 },
  });
  await page.goto(`${base}/merchant`);
  await page.fill("#token", token);
  await page.click("#login button");
  await page.waitForSelector("#requests:not([hidden]) tbody tr");
  await page.click("tr:first-child details summary");
  await page.waitForSelector("tr .photos img");
  await page.waitForFunction(() => [...document.querySelectorAll("tr .photos img")].every((i) => i.complete));
  await page.screenshot({ path: `${out}/merchant.png` });
}
await browser.close();
