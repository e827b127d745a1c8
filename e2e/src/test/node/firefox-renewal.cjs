// One renewal in Firefox ESR through the real renewal page and card bridge, driven over WebDriver BiDi by
// puppeteer-core (the system firefox-esr; puppeteer downloads no browser). Run by FirefoxRenewalTest:
//   NODE_PATH=<puppeteer-core's node_modules> node firefox-renewal.cjs
// with PAGE_URL, CARD_LABEL, CARD_PIN, SCREENSHOTS (a directory) and FIREFOX (the binary) in the environment.
// Prints one JSON line {browser, sentence, oldUntil, newUntil}; exits 1 with what the page said on failure.
'use strict';
const puppeteer = require('puppeteer-core');
const path = require('path');

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

(async () => {
  const shots = env('SCREENSHOTS');
  const browser = await puppeteer.launch({browser: 'firefox', executablePath: env('FIREFOX'), headless: true,
    defaultViewport: {width: 1280, height: 1000}});
  const page = await browser.newPage();
  const visible = (id) => page.waitForSelector('#' + id, {visible: true, timeout: 60000});
  const text = (id) => page.$eval('#' + id, (e) => e.textContent.trim());
  try {
    await page.goto(env('PAGE_URL'));
    await visible('show-status');
    if (await page.$('#card-select')) {
      await page.select('#card-select', env('CARD_LABEL'));
    }
    await page.click('#show-status');
    await (await visible('pin')).type(env('CARD_PIN'));
    await page.keyboard.press('Enter');
    await visible('renew');
    const sentence = await text('status-sentence');
    const oldUntil = await text('valid-until');
    await page.screenshot({path: path.join(shots, 'firefox-status.png')});
    await page.click('#renew');
    await (await visible('confirm-pin')).type(env('CARD_PIN'));
    await page.keyboard.press('Enter');
    await visible('h-success');
    await page.screenshot({path: path.join(shots, 'firefox-success.png')});
    console.log(JSON.stringify({browser: await browser.version(), sentence, oldUntil,
      previousUntil: await text('old-until'), newUntil: await text('new-until')}));
  } catch (e) {
    await page.screenshot({path: path.join(shots, 'firefox-failed.png')}).catch(() => {});
    const main = await page.$eval('main', (m) => m.innerText).catch(() => '(no page)');
    console.error(`${e}\nthe page says:\n${main}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
})();
