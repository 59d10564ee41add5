// Pair end to end in a real browser: two people in two isolated browser contexts sign
// up, open the same challenge and type into the same line at the same time (with an
// emoji and non-Latin text); both editors converge on a text holding both people's
// words, each sees the other in the participants list, the typing indicator shows and
// clears, and a server killed and restarted mid-session (same port, same data dir)
// loses no text: the offline banner shows, goes away, and typing syncs again. Saves
// screenshots (desktop room, phone-width room) as test artifacts.
//
//   ROOST_BIN=build/bin node --test tests/e2e/pair_room.test.mjs
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, test } from "node:test";
import { startPair, uniqueEmail } from "../pair/pair_harness.mjs";
import { artifactPath, launchChromium } from "./browser.mjs";
import {
  caretAtEndOfLine,
  caretAtStartOfLine,
  createChallengeInBrowser,
  editorText,
  eventually,
  openRoom,
  participantNames,
  signUpInBrowser,
  typeSlowly,
} from "./pair_pages.mjs";

// Everything the two people type; each piece must end up in both editors once.
const BASE_LINE = "let shared = 1;";
const ADA_LINE1 = "ada:😀→é ";
const BOB_LINE1 = " bob:日本語 Боб🎉";
const ADA_SAME = " Ω😀a";
const BOB_SAME = " 漢🎉b";
const ADA_OFFLINE = "\n// ada typed this while the server was down ✓";
const BOB_AFTER = "\n// bob after the restart: こんにちは 👋";
const ADA_AFTER = " ada-again";

let pair;
let browser;
const contexts = [];

before(async () => {
  pair = await startPair();
  browser = await launchChromium();
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close().catch(() => {});
  await pair?.close();
});

async function newPage(viewport) {
  const context = await browser.newContext({ viewport, ...(viewport.width < 500 ? { isMobile: true, hasTouch: true } : {}) });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on("pageerror", (err) => console.error(`[page error] ${err.message}`));
  return page;
}

async function bothEqual(a, b) {
  const [ta, tb] = await Promise.all([editorText(a), editorText(b)]);
  return ta === tb ? ta : null;
}

async function typingLine(page) {
  return page.textContent("#typing-indicator");
}

// On a failure, what each page showed then, beside the other artifacts.
async function screenshotAllPages(prefix) {
  let n = 0;
  for (const context of contexts) {
    for (const page of context.pages()) {
      n += 1;
      await page.screenshot({ path: artifactPath(`${prefix}-${n}.png`) }).catch(() => {});
    }
  }
}

test("two people edit one challenge through a server restart", async (t) => {
  try {
    await twoPeopleThroughARestart(t);
  } catch (err) {
    await screenshotAllPages("failure");
    err.message += `\n--- pair output ---\n${pair.output.slice(-4000)}`;
    throw err;
  }
});

async function twoPeopleThroughARestart(t) {
  const began = Date.now();
  // Phase times in the test's output, to see where the seconds go.
  const phase = (name) => t.diagnostic(`${((Date.now() - began) / 1000).toFixed(1)} s: ${name}`);
  const origin = pair.origin;
  const ada = await newPage({ width: 1280, height: 800 });
  const bob = await newPage({ width: 1280, height: 800 });
  const password = "correct horse battery";
  const adaEmail = uniqueEmail("ada");

  await signUpInBrowser(ada, origin, { firstName: "Ada", email: adaEmail, password });
  await signUpInBrowser(bob, origin, { firstName: "Bob", email: uniqueEmail("bob"), password });

  phase("both signed up");
  const id = await createChallengeInBrowser(ada, {
    title: "FizzBuzz together",
    prompt: "Write fizzbuzz(n): multiples of 3 → Fizz, of 5 → Buzz, of both → FizzBuzz.",
    language: "javascript",
  });
  await openRoom(bob, origin, id);
  assert.equal(await ada.textContent("#challenge-title"), "FizzBuzz together");
  assert.equal(await bob.textContent("#challenge-title"), "FizzBuzz together");

  // Each sees both people in the room.
  for (const page of [ada, bob]) {
    await eventually(async () => {
      const names = await participantNames(page);
      return names.includes("Ada") && names.includes("Bob") && names.length === 2;
    }, 10000, "Ada and Bob in the participants list");
  }
  phase("both in the room");
  // A first line both will write into.
  await caretAtEndOfLine(ada, 1);
  await typeSlowly(ada, BASE_LINE, 5);
  await eventually(async () => (await bothEqual(ada, bob))?.includes(BASE_LINE), 10000, "the first line to reach Bob");
  const start = await editorText(ada);

  // Both type into line 1 at the same time: Ada at its start, Bob at its end.
  await caretAtStartOfLine(ada, 1);
  await caretAtEndOfLine(bob, 1);
  const typing = Promise.all([typeSlowly(ada, ADA_LINE1, 30), typeSlowly(bob, BOB_LINE1, 30)]);
  // While Bob types, Ada's page says so (and marks him in the list), and vice versa.
  const bobsBadge = '#participants .participant:has-text("Bob") .typing-badge';
  await eventually(async () => /Bob is typing/.test(await typingLine(ada)) && (await ada.isVisible(bobsBadge)), 5000,
    "Ada to see that Bob is typing");
  await eventually(async () => /Ada is typing/.test(await typingLine(bob)), 5000, "Bob to see that Ada is typing");
  await typing;
  let converged = await eventually(() => bothEqual(ada, bob), 10000, "both editors to hold the same text");
  assert.equal(converged.split("\n")[0], ADA_LINE1 + start.split("\n")[0] + BOB_LINE1);
  assert.equal(converged.length, start.length + ADA_LINE1.length + BOB_LINE1.length, "nothing lost or doubled");

  phase("same line, two places: converged");
  // Then both at the very same place (the end of line 1): the characters may interleave,
  // but each person's text keeps its order and nothing is lost or doubled.
  await caretAtEndOfLine(ada, 1);
  await caretAtEndOfLine(bob, 1);
  await Promise.all([typeSlowly(ada, ADA_SAME, 30), typeSlowly(bob, BOB_SAME, 30)]);
  const before = converged;
  converged = await eventually(() => bothEqual(ada, bob), 10000, "both editors to converge again");
  const tail = converged.split("\n")[0].slice(before.split("\n")[0].length);
  assert.equal(tail.length, ADA_SAME.length + BOB_SAME.length, `line 1 grew by both texts: ${JSON.stringify(tail)}`);
  assert.ok(isSubsequence(ADA_SAME, tail), `Ada's characters in order in ${JSON.stringify(tail)}`);
  assert.ok(isSubsequence(BOB_SAME, tail), `Bob's characters in order in ${JSON.stringify(tail)}`);

  phase("same place: converged");
  // The typing indicator clears once nobody types (the server resets it after ~2 s).
  await eventually(async () => (await typingLine(ada)) === "" && (await typingLine(bob)) === "", 8000,
    "the typing indicators to clear");
  assert.equal(await ada.isVisible(bobsBadge), false);

  phase("typing indicators cleared");
  // Bob's caret shows in Ada's editor with his name.
  await eventually(() => ada.isVisible('.cm-remote-caret .cm-remote-label:text-is("Bob")'), 5000, "Bob's caret in Ada's editor");

  // The server has what the editors show.
  const saved = await pair.api("GET", `/api/challenges/${id}`, null, (await sessionToken(ada)));
  assert.equal(saved.status, 200);
  assert.equal(saved.body.challenge.response, converged);
  await ada.screenshot({ path: artifactPath("pair-room.png") });
  await bob.screenshot({ path: artifactPath("pair-room-bob.png") });
  if (process.env.PAIR_DOCS_SCREENSHOT) fs.copyFileSync(artifactPath("pair-room.png"), process.env.PAIR_DOCS_SCREENSHOT);

  phase("saved text checked");
  // Kill the server mid-session: both pages go offline.
  await pair.kill("SIGKILL");
  await ada.waitForSelector("#offline-banner", { state: "visible", timeout: 10000 });
  await bob.waitForSelector("#offline-banner", { state: "visible", timeout: 10000 });
  await ada.screenshot({ path: artifactPath("pair-room-offline.png") });
  phase("both offline");
  // Ada keeps typing while offline; her edit waits and is sent after the restart.
  await caretAtEndOfLine(ada, 1);
  await typeSlowly(ada, ADA_OFFLINE, 10);

  await pair.restart();
  await ada.waitForSelector("#offline-banner", { state: "hidden", timeout: 20000 });
  await bob.waitForSelector("#offline-banner", { state: "hidden", timeout: 20000 });

  phase("both back online");
  // Typing goes on syncing both ways.
  const afterRestart = await eventually(async () => {
    const text = await bothEqual(ada, bob);
    return text && text.includes(ADA_OFFLINE.trim()) ? text : null;
  }, 15000, "Ada's offline edit to reach Bob");
  const lines = afterRestart.split("\n").length;
  await caretAtEndOfLine(bob, lines);
  await typeSlowly(bob, BOB_AFTER, 20);
  await caretAtEndOfLine(ada, 1);
  await typeSlowly(ada, ADA_AFTER, 20);
  const final = await eventually(async () => {
    const text = await bothEqual(ada, bob);
    return text && text.includes(BOB_AFTER.trim()) && text.includes(ADA_AFTER) ? text : null;
  }, 15000, "both editors to converge after the restart");
  // (A typed line break may bring indentation with it: compare the lines' text.)
  for (const piece of [ADA_LINE1, BOB_LINE1, ADA_OFFLINE.trim(), BOB_AFTER.trim(), ADA_AFTER]) {
    assert.equal(final.split(piece).length, 2, `exactly one ${JSON.stringify(piece)} in ${JSON.stringify(final)}`);
  }
  phase("converged after the restart");
  const stored = await pair.api("GET", `/api/challenges/${id}`, null, await sessionToken(bob));
  assert.equal(stored.body.challenge.response, final, "the restarted server stored the final text");
  for (const page of [ada, bob]) {
    await eventually(async () => (await participantNames(page)).length === 2, 10000, "both back in the participants list");
  }
  await ada.screenshot({ path: artifactPath("pair-room-after-restart.png") });

  phase("after-restart checks done");
  // The same room at phone width (390 px): readable, no sideways scrolling.
  const phone = await newPage({ width: 390, height: 844 });
  await phone.goto(`${origin}/`);
  await phone.evaluate(([key, value]) => localStorage.setItem(key, value), ["pair.session", await sessionJson(ada)]);
  await openRoom(phone, origin, id);
  await eventually(async () => (await editorText(phone)) === final, 10000, "the phone to show the text");
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 390 px (overflow ${overflow}px)`);
  await phone.screenshot({ path: artifactPath("pair-room-phone.png"), fullPage: true });
  phase("phone screenshot taken");
}

// True when the code points of `needle` appear in `hay` in order (a surrogate pair is
// one code point: an emoji must never be split by a concurrent insert).
function isSubsequence(needle, hay) {
  const h = [...hay];
  let i = 0;
  for (const ch of needle) {
    while (i < h.length && h[i] !== ch) i++;
    if (i === h.length) return false;
    i++;
  }
  return true;
}

function sessionJson(page) {
  return page.evaluate(() => localStorage.getItem("pair.session"));
}

async function sessionToken(page) {
  return JSON.parse(await sessionJson(page)).token;
}
