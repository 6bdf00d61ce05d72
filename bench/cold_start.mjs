// Cold start on a slow phone (docs/PERFORMANCE.md, "Cold start"): a fresh
// browser context opens a cold search link under the slow profile (400 ms
// round trip, ~50,000 bytes/s each way, CPU 4x slower) and waits for the
// first result card. Prints one line per run and the median, and writes
// them as JSON to --out when given.
//   node bench/cold_start.mjs --origin http://127.0.0.1:8080 [--runs 5] [--out FILE]
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tests/e2e/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
};
export const SLOW = { latency: 400, downloadThroughput: 50000, uploadThroughput: 50000, cpu: 4 };
export const COLD_PATH = '/?near=92374&care=detox';

// One cold load: {ms, requests: [{path, start, end}]} (times from navigation).
export async function coldLoad(browser, origin, path = COLD_PATH) {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: SLOW.latency,
    downloadThroughput: SLOW.downloadThroughput, uploadThroughput: SLOW.uploadThroughput });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOW.cpu });
  const requests = [];
  // The script that asked for each URL (the top frame of the initiator's stack).
  const initiators = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    const frame = e.initiator?.stack?.callFrames?.[0];
    if (frame) initiators.set(e.request.url, new URL(frame.url).pathname);
  });
  let t0 = 0;
  page.on('request', (r) => requests.push({ path: new URL(r.url()).pathname + (r.url().includes('/api/') ? new URL(r.url()).search : ''), start: Date.now() - t0, r }));
  page.on('requestfinished', (r) => { const e = requests.find((x) => x.r === r); if (e) e.end = Date.now() - t0; });
  // The cards the server wrote into the page (src/api/first_answer.h).
  let pageCards = 0;
  page.on('response', async (r) => {
    if (r.request().resourceType() === 'document') pageCards = ((await r.text().catch(() => '')).match(/<li class="card">/g) || []).length;
  });
  t0 = Date.now();
  await page.goto(origin + path, { waitUntil: 'commit', timeout: 60000 });
  await page.locator('#results > li.card').first().waitFor({ state: 'visible', timeout: 60000 });
  const ms = Date.now() - t0;
  await page.waitForLoadState('domcontentloaded');
  await ctx.close();
  return { ms, pageCards, requests: requests.map(({ path: p, start, end, r }) => ({ path: p, start, end, by: initiators.get(r.url()) })) };
}

// Round trips one after another up to the first search (or, when the page
// came with its first answer inside, up to the first result shown, `ms`): a
// request that starts after an earlier one ended belongs to a later step.
// (The other views' modules load after the first results; not counted.)
export function sequentialSteps(requests, ms = Infinity) {
  const search = requests.find((r) => r.path.startsWith('/api/v1/search'));
  const before = requests.filter((r) => (search ? r.start <= search.start : r.start < ms));
  let steps = 0, frontier = -1;
  for (const r of [...before].sort((a, b) => a.start - b.start)) {
    if (r.start >= frontier) { steps++; frontier = r.end ?? Infinity; }
    else if (r.end !== undefined) frontier = Math.min(frontier, r.end);
  }
  return steps;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const origin = arg('--origin', 'http://127.0.0.1:8080');
  const runs = Number(arg('--runs', '5'));
  const browser = await chromium.launch({ executablePath: arg('--chromium', '/usr/bin/chromium'), args: ['--no-sandbox'] });
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = await coldLoad(browser, origin);
    results.push(r);
    console.log(`run ${i + 1}: first result at ${r.ms} ms, ${r.requests.length} requests, ${sequentialSteps(r.requests, r.ms)} sequential steps to the first search, ${r.pageCards} cards in the page`);
  }
  await browser.close();
  const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`median ${median} ms over ${runs} runs`);
  for (const q of results[0].requests) console.log(`  ${String(q.start).padStart(5)}-${String(q.end ?? '?').padStart(5)} ms ${q.path}`);
  if (arg('--out', '')) fs.writeFileSync(arg('--out'), JSON.stringify({ profile: SLOW, path: COLD_PATH, median_ms: median, runs: results }, null, 1));
}
