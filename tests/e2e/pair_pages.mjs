// What a person does on Pair's pages, as playwright-core steps: sign up, create a
// challenge, open a room, type into the shared editor, read what the editor and the
// participants list show. Each step waits for the page to show its result, bounded by
// playwright's timeouts, so a broken page fails the step instead of hanging.

/** Signs up through the form (from the log-in page the app sends visitors to). */
export async function signUpInBrowser(page, origin, { firstName, email, password }) {
  await page.goto(`${origin}/`);
  await page.waitForURL(/#\/login$/);
  await page.click("text=Create an account");
  await page.fill('#signup-form input[name="first_name"]', firstName);
  await page.fill('#signup-form input[name="email"]', email);
  await page.fill('#signup-form input[name="password"]', password);
  await page.click('#signup-form button[type="submit"]');
  await page.waitForSelector("#challenge-list");
  await page.waitForSelector(`#current-user:text-is("${firstName}")`);
}

/** Creates a challenge with the form on the list page; resolves its id once its room shows. */
export async function createChallengeInBrowser(page, { title, prompt, language }) {
  await page.fill('#create-challenge-form input[name="title"]', title);
  await page.fill('#create-challenge-form textarea[name="prompt"]', prompt);
  await page.selectOption('#create-challenge-form select[name="language"]', language);
  await page.click('#create-challenge-form button[type="submit"]');
  await page.waitForURL(/#\/challenges\/\d+$/);
  await waitForEditor(page);
  return Number(/#\/challenges\/(\d+)$/.exec(page.url())[1]);
}

export async function openRoom(page, origin, id) {
  await page.goto(`${origin}/#/challenges/${id}`);
  await waitForEditor(page);
}

export async function waitForEditor(page) {
  await page.waitForSelector(".cm-editor .cm-content");
  await page.waitForFunction(() => window.__pairEditor && window.__pairEditor.dom.isConnected);
}

/** The editor's exact document text (CodeMirror's, not the rendered DOM's). */
export function editorText(page) {
  return page.evaluate(() => window.__pairEditor.state.doc.toString());
}

/** Puts the caret at the end of line `line` (1-based), focused, as a click there would. */
export function caretAtEndOfLine(page, line) {
  return caretOnLine(page, line, "end");
}

export function caretAtStartOfLine(page, line) {
  return caretOnLine(page, line, "start");
}

async function caretOnLine(page, line, where) {
  await page.click(".cm-content");
  await page.evaluate(([n, w]) => {
    const view = window.__pairEditor;
    const l = view.state.doc.line(Math.min(n, view.state.doc.lines));
    view.dispatch({ selection: { anchor: w === "end" ? l.to : l.from } });
    view.focus();
  }, [line, where]);
}

/** Types like a person: one key event per character, `delay` ms apart. */
export async function typeSlowly(page, text, delay = 25) {
  await page.keyboard.type(text, { delay });
}

/** The names in the participants list. */
export function participantNames(page) {
  return page.$$eval("#participants .participant .name", (els) => els.map((e) => e.firstChild.textContent.trim()));
}

/** Polls `fn` (async) until it returns a truthy value; rejects after `ms` with `what`. */
export async function eventually(fn, ms, what) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
