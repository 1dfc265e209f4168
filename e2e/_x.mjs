import { chromium } from "playwright-core";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const w = "#demo-widget ";
const base = "http://127.0.0.1:8099";
async function shot(order, locale, width, name, act) {
  const page = await browser.newPage({ locale, timezoneId: "Europe/Berlin", viewport: { width, height: 800 } });
  page.on("console", m => { if (m.type() === "error" || m.type() === "warning") console.log(name, "console:", m.text()); });
  await page.goto(`${base}/?order=${order}`);
  await page.selectOption("#demo-locale", locale);
  await page.waitForSelector(`${w}.aftersale__choose`);
  if (act) await act(page);
  await page.waitForTimeout(300);
  const h = await page.evaluate(() => document.body.scrollHeight);
  for (let y = 0, i = 0; y < h && i < 8; y += 760, i++) await page.screenshot({ path: `/tmp/shots/${name}-${i}.png`, fullPage: true, clip: { x: 0, y, width, height: Math.min(760, h - y) } });
  await page.close();
}
import fs from "fs"; fs.mkdirSync("/tmp/shots", { recursive: true });
await shot("X-105", "de-DE", 375, "x105-de-mobile");
await shot("X-105", "de-DE", 375, "x105-de-exchange", async p => {
  await p.click(`${w}[data-kind="exchange"][data-reason="changed_mind"] .aftersale__choose`);
});
await shot("H-105", "zh-CN", 375, "h105-zh-mobile");
await shot("H-100", "en-US", 375, "h100-en-mobile");
await browser.close();
