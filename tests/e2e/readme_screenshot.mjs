// Takes the README's picture of a challenge room (docs/images/pair-room.png): Ada and
// Bob in one room, Ada's code in the editor, Bob's selection and caret shown in Ada's
// editor, and "Bob is typing…". Not a test (ctest does not run it); run it after a
// build when the page's look changes:
//
//   ROOST_BIN=build/bin node tests/e2e/readme_screenshot.mjs [out.png]
//
// Emoji and CJK glyphs need Debian's fonts-noto-color-emoji / fonts-noto-cjk; the
// picture uses neither, so it looks the same without them.
import path from "node:path";
import { startPair, uniqueEmail } from "../pair/pair_harness.mjs";
import { launchChromium, repoRoot } from "./browser.mjs";
import { caretAtEndOfLine, editorText, eventually, openRoom, typeSlowly } from "./pair_pages.mjs";

const out = path.resolve(process.argv[2] ?? path.join(repoRoot, "docs", "images", "pair-room.png"));

const CODE = `// Returns the FizzBuzz word for n, or n itself.
function fizzbuzz(n) {
  if (n % 15 === 0) return "FizzBuzz";
  if (n % 3 === 0) return "Fizz";
  if (n % 5 === 0) return "Buzz";
  return String(n);
}

for (let i = 1; i <= 15; i++) {
  console.log(fizzbuzz(i));
}
`;

const pair = await startPair();
const browser = await launchChromium();
try {
  const password = "correct horse battery";
  const ada = await pair.signUp("Ada", uniqueEmail("ada"), password);
  const bob = await pair.signUp("Bob", uniqueEmail("bob"), password);
  const created = await pair.api("POST", "/api/challenges", {
    title: "FizzBuzz",
    prompt:
      "Print the numbers 1 to 15, but print Fizz for multiples of 3, Buzz for multiples of 5 and FizzBuzz for multiples of both.",
    language: "javascript",
  }, ada.token);
  if (created.status !== 201) throw new Error(`creating the challenge failed: ${created.status} ${created.text}`);
  const id = created.body.challenge.id;

  const open = async (session) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 640 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${pair.origin}/`);
    await page.evaluate((s) => localStorage.setItem("pair.session", s), JSON.stringify(session));
    await openRoom(page, pair.origin, id);
    return page;
  };
  const adaPage = await open(ada);
  const bobPage = await open(bob);

  // Ada writes the solution (one local edit, synced like any typing).
  await adaPage.evaluate((code) => window.__pairEditor.dispatch({ changes: { from: 0, insert: code } }), CODE);
  await eventually(async () => (await editorText(bobPage)) === CODE, 10000, "Bob to receive Ada's code");
  await caretAtEndOfLine(adaPage, 6);

  // Bob adds a note and then selects the FizzBuzz test: Ada sees both, and that he types.
  await caretAtEndOfLine(bobPage, 3);
  await typeSlowly(bobPage, " // check 15 first", 15);
  await bobPage.evaluate(() => {
    const view = window.__pairEditor;
    const line = view.state.doc.line(3).text;
    const from = view.state.doc.line(3).from + line.indexOf("n % 15");
    view.dispatch({ selection: { anchor: from, head: from + "n % 15 === 0".length } });
  });
  await adaPage.waitForSelector(".cm-remote-selection");
  await adaPage.waitForSelector('#typing-indicator:has-text("Bob is typing")');
  await adaPage.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await pair.close();
}
