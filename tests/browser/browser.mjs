// Drives the system's Chromium (puppeteer-core; nothing downloads a browser) over web editions and
// prints one JSON object a line for tests/test_html_browser.py to judge.
//
//   node browser.mjs audit FILE...           axe-core (WCAG 2.0/2.1/2.2 A and AA) in every background,
//                                            requests that are not file:/data:, scroll width at 320 px
//   node browser.mjs keyboard FILE           answer a quiz and a question by keyboard only; reload
//   node browser.mjs shot FILE OUT WIDTH THEME   a full-page screenshot (THEME: auto|white|cream|dark)
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
// "white" is the default palette ("auto" on a light device), so it is not audited twice.
const THEMES = ["auto", "cream", "dark"];
// The rules whose outcome depends on the window's width.
const LAYOUT_RULES = ["target-size", "scrollable-region-focusable", "meta-viewport"];

async function open(browser, file, width, requests, errors) {
  const page = await browser.newPage();
  await page.setViewport({ width, height: 900 });
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const url = request.url();
    if (url.startsWith("file:") || url.startsWith("data:")) {
      request.continue();
    } else {
      requests.push(url);
      request.abort();
    }
  });
  page.on("console", (msg) => { if (msg.type() === "error") errors.push(msg.text()); });
  page.on("pageerror", (err) => errors.push(String(err)));
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return page;
}

async function setTheme(page, theme, size = "0") {
  await page.evaluate((t, s) => {
    localStorage.setItem("lessonpack:settings", JSON.stringify({ theme: t, size: s }));
  }, theme, size);
  await page.reload({ waitUntil: "load" });
}

// The rules whose outcome depends on the colours: all that a background other than the first needs.
const COLOUR_RULES = ["color-contrast", "link-in-text-block"];

async function axe(page, only = null) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async (tags, rules) => {
    const runOnly = rules ? { type: "rule", values: rules } : { type: "tag", values: tags };
    const r = await window.axe.run(document, { runOnly, resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
  }, TAGS, only);
  return result;
}

async function audit(browser, args) {
  // --themes a,b,c first (default: every background, the system's dark mode, and a wide window).
  let themes = [...THEMES, "system-dark", "wide"];
  if (args[0] === "--themes") { themes = args[1].split(","); args = args.slice(2); }
  for (const file of args) {
    const requests = [];
    const errors = [];
    const out = { file, violations: {}, scroll: {}, scriptRan: false };
    const page = await open(browser, file, 320, requests, errors);
    out.scriptRan = await page.evaluate(() => !document.getElementById("tools").hidden);
    const width = () => page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    for (const theme of THEMES.filter((t) => themes.includes(t))) {
      await setTheme(page, theme);
      // Every rule in the first background; the colour rules in the others.
      out.violations[theme] = await axe(page, theme === "auto" ? null : COLOUR_RULES);
      out.scroll[theme] = await width();
    }
    // Every setting at its largest still reflows at 320 px.
    await setTheme(page, "auto", "3");
    await page.evaluate(() => {
      localStorage.setItem("lessonpack:settings", JSON.stringify({ size: "3", line: "2", letter: "2" }));
    });
    await page.reload({ waitUntil: "load" });
    out.scroll["largest-settings"] = await width();
    await setTheme(page, "auto");
    if (themes.includes("system-dark")) {
      // The system's dark mode, with no background chosen.
      await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "dark" }]);
      out.violations["system-dark"] = await axe(page, COLOUR_RULES);
      out.darkBackground = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      await page.emulateMediaFeatures([]);
    }
    if (themes.includes("wide")) {
      await page.setViewport({ width: 1280, height: 900 });
      out.violations["wide"] = await axe(page, LAYOUT_RULES);
      out.scroll["wide"] = await width();
    }
    await page.evaluate(() => localStorage.clear());
    await page.close();
    out.requests = requests;
    out.errors = errors;
    console.log(JSON.stringify(out));
  }
}

async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const fieldset = el.closest("fieldset.quiz");
    return {
      tag: el.tagName.toLowerCase(), type: el.type || "", id: el.id, name: el.name || "",
      quiz: fieldset ? fieldset.id : "", outline: style.outlineStyle, outlineWidth: style.outlineWidth,
    };
  });
}

async function keyboard(browser, file) {
  const requests = [];
  const errors = [];
  const page = await open(browser, file, 1280, requests, errors);
  await page.evaluate(() => localStorage.clear());
  await page.reload({ waitUntil: "load" });
  const steps = [];
  // Tab to the first quiz's first choice, then choose with the arrow keys as a keyboard user does.
  let at = null;
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press("Tab");
    at = await focused(page);
    steps.push(at.tag + (at.type ? ":" + at.type : ""));
    if (at.quiz) break;
  }
  const out = { file, reachedQuiz: Boolean(at && at.quiz), focusOutline: at ? [at.outline, at.outlineWidth] : null };
  if (at && at.quiz) {
    const quiz = at.quiz;
    const feedbackOf = () => page.evaluate((q) => {
      const set = document.getElementById(q);
      const chosen = set.querySelector("input:checked");
      return { chosen: chosen ? chosen.value : null, answer: set.getAttribute("data-answer"), feedback: set.querySelector(".feedback").textContent };
    }, quiz);
    await page.keyboard.press("Space");
    out.first = await feedbackOf();
    await page.keyboard.press("ArrowDown");
    out.second = await feedbackOf();
    // Then Tab on to the next answer field and type an answer.
    let field = null;
    for (let i = 0; i < 400; i++) {
      await page.keyboard.press("Tab");
      field = await focused(page);
      if (field.tag === "textarea" || (field.tag === "input" && field.type === "text")) break;
      field = null;
    }
    if (field) {
      await page.keyboard.type("Because it showed how many people it happened to.");
      out.typedInto = field.id;
      await page.reload({ waitUntil: "load" });
      out.afterReload = await page.evaluate((id, q) => ({
        typed: document.getElementById(id).value,
        chosen: (document.getElementById(q).querySelector("input:checked") || {}).value || null,
        feedback: document.getElementById(q).querySelector(".feedback").textContent,
      }), field.id, quiz);
    }
  }
  // Save the answers as a file, from the keyboard: the file has the question and what was typed.
  const folder = mkdtempSync(join(tmpdir(), "lessonpack-answers-"));
  const cdp = await page.createCDPSession();
  await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: folder });
  await page.focus("#save");
  await page.keyboard.press("Enter");
  for (let i = 0; i < 50 && !readdirSync(folder).some((f) => f.endsWith(".txt")); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const saved = readdirSync(folder).filter((f) => f.endsWith(".txt"));
  out.savedName = saved[0] || null;
  out.saved = saved[0] ? readFileSync(join(folder, saved[0]), "utf8") : null;
  rmSync(folder, { recursive: true, force: true });
  out.requests = requests;
  out.errors = errors;
  out.tabs = steps.length;
  // The settings panel: choices apply at once and are remembered after the page is opened again.
  const look = () => page.evaluate(() => ({
    theme: document.documentElement.getAttribute("data-theme"),
    background: getComputedStyle(document.documentElement).backgroundColor,
    fontSize: parseFloat(getComputedStyle(document.body).fontSize),
    font: getComputedStyle(document.body).fontFamily,
    letterSpacing: getComputedStyle(document.body).letterSpacing,
    scrollBehavior: getComputedStyle(document.documentElement).scrollBehavior,
  }));
  out.settings = { before: await look() };
  await page.select("#set-theme", "cream");
  await page.select("#set-size", "3");
  await page.select("#set-font", "system");
  await page.select("#set-letter", "2");
  out.settings.chosen = await look();
  await page.reload({ waitUntil: "load" });
  out.settings.reopened = await look();
  await page.emulateMediaFeatures([{ name: "prefers-reduced-motion", value: "reduce" }]);
  out.settings.reducedMotion = await look();
  await page.evaluate(() => localStorage.clear());
  // Without script: everything reads, the tools stay hidden, the page says answers are not kept.
  const plain = await browser.newPage();
  await plain.setJavaScriptEnabled(false);
  await plain.setViewport({ width: 320, height: 900 });
  await plain.goto(pathToFileURL(file).href, { waitUntil: "load" });
  out.noScript = await plain.evaluate(() => ({
    toolsHidden: document.getElementById("tools").offsetHeight === 0,
    notice: (document.querySelector("noscript p") || {}).offsetHeight > 0,
    words: document.querySelector("main").innerText.split(/\s+/).length,
    wide: document.documentElement.scrollWidth > document.documentElement.clientWidth,
  }));
  await plain.close();
  await page.evaluate(() => localStorage.clear());
  console.log(JSON.stringify(out));
}

async function shot(browser, file, png, width, theme, height, selector, choose) {
  // With HEIGHT, one window's worth (scrolled to SELECTOR; CHOOSE: click that option of it first).
  const requests = [];
  const errors = [];
  const page = await open(browser, file, Number(width), requests, errors);
  await setTheme(page, theme);
  if (height) {
    await page.setViewport({ width: Number(width), height: Number(height) });
    if (selector) {
      if (choose) await page.click(`${selector} .choice:nth-of-type(${choose}) input`);
      await page.evaluate((s) => { document.querySelector(s).scrollIntoView({ block: "start", behavior: "instant" }); window.scrollBy({ top: -8, behavior: "instant" }); }, selector);
    }
  }
  await page.screenshot({ path: png, fullPage: !height });
  await page.evaluate(() => localStorage.clear());
  console.log(JSON.stringify({ file, png, requests, errors }));
}

const [command, ...args] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"],
});
try {
  if (command === "audit") await audit(browser, [...args]);
  else if (command === "keyboard") await keyboard(browser, args[0]);
  else if (command === "shot") await shot(browser, ...args);
  else throw new Error(`unknown command ${command}`);
} finally {
  await browser.close();
}
