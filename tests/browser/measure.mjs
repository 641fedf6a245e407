// Heights at 375 px of a few pages of a built site: node measure.mjs <site>
import path from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";
const site = path.resolve(process.argv[2]);
const browser = await puppeteer.launch({ executablePath: process.env.CAREBOOK_CHROMIUM || "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu", "--font-render-hinting=none"] });
const page = await browser.newPage();
await page.setViewport({ width: 375, height: 800, deviceScaleFactor: 1, isMobile: true });
for (const r of process.argv.slice(3)) {
  await page.goto(pathToFileURL(path.join(site, r)).href, { waitUntil: "load" });
  const h = await page.evaluate(() => document.documentElement.scrollHeight);
  console.log(r, h);
}
await browser.close();
