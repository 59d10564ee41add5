// The presence metas-per-key limit (TrackerOptions::max_metas_per_key), set to 3 by the
// fixture's --max-presence-metas-per-key: one key (a user with many tabs) tracked from a
// fourth channel of the same topic is refused with {reason: "too_many_metas"}: after the
// join (the fixture pushes presence_error) and on an explicit `track`. The three metas
// stay, other keys of the topic and other topics are still tracked, a freed slot can be
// taken again, and refusals are counted in /metrics.
import assert from "node:assert/strict";
import { useServer, test, openRaw, httpRequest, sleep } from "./harness.mjs";

const LIMIT = 3;
const server = useServer({ args: ["--max-presence-metas-per-key", String(LIMIT)] });
const TOO_MANY = { response: { reason: "too_many_metas" }, status: "error" };

let counter = 0;

/** Reads frames until one satisfies `pred` (others are dropped); fails after `ms`. */
async function frameWhere(raw, pred, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) assert.fail(`no ${what} within ${ms} ms`);
    let f;
    try { f = await raw.next(left); } catch (e) { assert.fail(`no ${what}: ${e.message}`); }
    if (Array.isArray(f) && pred(f)) return f;
  }
}

/** A socket joined to `topic` as `name`; resolves {raw, joinRef, state, error}. */
async function tab(t, topic, name) {
  const raw = await openRaw(t, server);
  const joinRef = `j${++counter}`;
  raw.send([joinRef, joinRef, topic, "phx_join", { name }]);
  const reply = await frameWhere(raw, (f) => f[1] === joinRef && f[3] === "phx_reply", 3000, `join reply of ${name}`);
  assert.deepEqual(reply[4], { response: {}, status: "ok" }, "the join itself is accepted");
  let error = null;
  const first = await frameWhere(raw, (f) => f[3] === "presence_state" || f[3] === "presence_error", 3000,
    `presence_state of ${name}`);
  let state = first[4];
  if (first[3] === "presence_error") {
    error = first[4];
    state = (await frameWhere(raw, (f) => f[3] === "presence_state", 3000, `presence_state of ${name}`))[4];
  }
  return { raw, joinRef, topic, state, error };
}

async function push(c, event) {
  const ref = `r${++counter}`;
  c.raw.send([c.joinRef, ref, c.topic, event, {}]);
  return (await frameWhere(c.raw, (f) => f[1] === ref && f[3] === "phx_reply", 3000, `reply to ${event}`))[4];
}

const metas = (state, key) => (state[key]?.metas ?? []).length;

test("a key over its meta limit is refused, the others are still served", async (t) => {
  const topic = "presence:metas";
  const tabs = [];
  for (let i = 0; i < LIMIT; i++) {
    const c = await tab(t, topic, "tabs");
    assert.equal(c.error, null, `tab ${i} is tracked`);
    assert.equal(metas(c.state, "tabs"), i + 1);
    tabs.push(c);
  }

  const extra = await tab(t, topic, "tabs");
  assert.deepEqual(extra.error, { reason: "too_many_metas" }, "the fourth tab learns why it is not tracked");
  assert.equal(metas(extra.state, "tabs"), LIMIT, "the key keeps its three metas");
  assert.deepEqual(await push(extra, "track"), TOO_MANY, "an explicit track is refused too");

  // Another key in the same topic and the same key in another topic are unaffected.
  const other = await tab(t, topic, "other");
  assert.equal(other.error, null);
  assert.equal(metas(other.state, "other"), 1);
  assert.equal(metas(other.state, "tabs"), LIMIT);
  const elsewhere = await tab(t, "presence:metas-elsewhere", "tabs");
  assert.equal(elsewhere.error, null);
  assert.equal(metas(elsewhere.state, "tabs"), 1);
  // The refused channel still works; the server is still answering everyone.
  assert.deepEqual(await push(other, "away"), { response: {}, status: "ok" });

  // One tab closes: its meta leaves (asynchronously), and the fourth may track.
  tabs[0].raw.close(1000);
  let answer = null;
  for (let attempt = 0; attempt < 50; attempt++) {
    answer = await push(extra, "track");
    if (answer.status === "ok") break;
    assert.deepEqual(answer, TOO_MANY);
    await sleep(50);
  }
  assert.deepEqual(answer, { response: {}, status: "ok" }, "a freed slot can be taken");
  assert.deepEqual(await push(tabs[1], "track"), { response: { reason: "already_tracked" }, status: "error" },
    "a re-track of a tracked channel still answers already_tracked");
});

test("refused tracks are counted in /metrics", async () => {
  const res = await httpRequest(server, "GET", "/metrics");
  const m = res.text.match(/^roost_presence_metas_refused_total (\d+)$/m);
  assert.ok(m, "the counter is exported");
  assert.ok(Number(m[1]) >= 2, `refusals counted (${m[1]})`);
});
