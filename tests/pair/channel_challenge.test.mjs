// The `challenges:<id>` channel with the real phoenix client: the join reply, Presence
// (state, diffs, meta with colour, typing and cursor), response:update and its
// broadcast, typing back to false after ~2 s, and the refusals (unknown challenge,
// oversize or non-string response, unknown events), after which the room keeps working.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Presence } from "phoenix";
import { startPair, joinChannel, push, waitFor } from "./pair_harness.mjs";
import { connectedUser, createChallenge, fetchChallenge, recorder } from "./channel_helpers.mjs";

let pair;
before(async () => { pair = await startPair(); });
after(async () => { await pair?.close(); });

/**
 * Joins `topic` with a phoenix Presence attached BEFORE the join (presence_state may
 * come in the same read as the join reply); resolves {channel, reply, metas(key)}.
 */
function joinWithPresence(socket, topic) {
  const channel = socket.channel(topic, {});
  const presence = new Presence(channel);
  const metas = (key) => {
    const found = presence.list((k, { metas: m }) => ({ k, m })).find((e) => e.k === key);
    return found ? found.m : [];
  };
  return new Promise((resolve, reject) => {
    channel.join(10000)
      .receive("ok", (reply) => resolve({ channel, reply, metas }))
      .receive("error", (reply) => reject(new Error(`join ${topic} refused: ${JSON.stringify(reply)}`)))
      .receive("timeout", () => reject(new Error(`join ${topic} timed out`)));
  });
}

test("join replies with the challenge and tracks the user with colour, typing and cursor", async () => {
  const ada = await connectedUser(pair, "Ada");
  const challenge = await createChallenge(pair, ada.token, { title: "Reverse", response: "function r(s) {}\n" });
  const mine = await joinWithPresence(ada.socket, `challenges:${challenge.id}`);
  const { channel, reply } = mine;
  assert.deepEqual(reply.challenge, await fetchChallenge(pair, ada.token, challenge.id));
  assert.equal(reply.challenge.response, "function r(s) {}\n");
  assert.equal(reply.challenge.version, 0);
  for (const key of ["id", "title", "prompt", "response", "language", "version", "inserted_at", "updated_at"])
    assert.ok(key in reply.challenge, `challenge JSON has ${key}`);

  const key = String(ada.user.id);
  await waitFor(() => mine.metas(key).length === 1, 5000, "own presence");
  const meta = mine.metas(key)[0];
  assert.equal(meta.user_id, ada.user.id);
  assert.equal(meta.first_name, "Ada");
  assert.equal(meta.typing, false);
  assert.equal(meta.cursor, null);
  assert.match(meta.color, /^#[0-9a-f]{6}$/);

  // A second user: Ada sees the join as a diff; Bob's presence_state lists both.
  const bob = await connectedUser(pair, "Bob");
  const bobJoin = await joinWithPresence(bob.socket, `challenges:${challenge.id}`);
  const bobs = bobJoin;
  await waitFor(() => mine.metas(String(bob.user.id)).length === 1, 5000, "Bob in Ada's list");
  await waitFor(() => bobs.metas(key).length === 1 && bobs.metas(String(bob.user.id)).length === 1, 5000, "both in Bob's list");
  assert.equal(mine.metas(String(bob.user.id))[0].first_name, "Bob");
  assert.notEqual(mine.metas(String(bob.user.id))[0].color, meta.color, "consecutive users get different colours");

  // The colour is stable: the same user in another room (another socket) keeps it.
  const other = await createChallenge(pair, ada.token);
  const again = await pair.openSocket(ada.token);
  const there = await joinWithPresence(again, `challenges:${other.id}`);
  await waitFor(() => there.metas(key).length === 1, 5000, "Ada in the other room");
  assert.equal(there.metas(key)[0].color, meta.color);

  // cursor → Bob sees Ada's cursor in her meta.
  assert.equal((await push(channel, "cursor", { anchor: 3, head: 7 })).status, "ok");
  await waitFor(() => bobs.metas(key)[0]?.cursor?.head === 7, 5000, "Ada's cursor at Bob");
  assert.deepEqual(bobs.metas(key)[0].cursor, { anchor: 3, head: 7 });
  assert.deepEqual((await push(channel, "cursor", { anchor: -1, head: 2 })).reply, { reason: "invalid" });
  assert.deepEqual((await push(channel, "cursor", { anchor: "1", head: 2 })).reply, { reason: "invalid" });

  // Bob leaves: Ada's list drops him.
  await new Promise((resolve) => bobJoin.channel.leave().receive("ok", resolve));
  await waitFor(() => mine.metas(String(bob.user.id)).length === 0, 5000, "Bob gone from Ada's list");
});

test("response:update saves, broadcasts response:updated and sets typing until ~2 s of quiet", async () => {
  const ada = await connectedUser(pair, "Ada");
  const bob = await connectedUser(pair, "Bob");
  const challenge = await createChallenge(pair, ada.token, { response: "old" });
  const topic = `challenges:${challenge.id}`;
  const { channel: adaChannel } = await joinChannel(ada.socket, topic);
  const bobs = await joinWithPresence(bob.socket, topic);
  const updated = recorder(bobs.channel, "response:updated");
  const adaKey = String(ada.user.id);
  await waitFor(() => bobs.metas(adaKey).length === 1, 5000, "Ada at Bob");

  const text = "const x = \"😀 漢字 é\";\r\nreturn x;";
  const sent = Date.now();
  const res = await push(adaChannel, "response:update", { response: text });
  assert.equal(res.status, "ok", JSON.stringify(res.reply));
  assert.equal(res.reply.challenge.response, "const x = \"😀 漢字 é\";\nreturn x;", "line breaks normalised");
  assert.equal(res.reply.challenge.version, 1);
  const { payload } = await updated.next();
  assert.deepEqual(payload.challenge, res.reply.challenge);
  assert.deepEqual(await fetchChallenge(pair, ada.token, challenge.id), res.reply.challenge);

  await waitFor(() => bobs.metas(adaKey)[0]?.typing === true, 5000, "Ada typing at Bob");
  const typingSince = Date.now();
  await waitFor(() => bobs.metas(adaKey)[0]?.typing === false, 6000, "Ada no longer typing");
  const quietAfter = Date.now() - sent;
  assert.ok(quietAfter >= 1900 && quietAfter < 4000, `typing cleared ${quietAfter} ms after the edit (want ~2000)`);
  assert.ok(typingSince - sent < 1500, "typing showed at once");

  // Edits keep it on: three edits 800 ms apart, then ~2 s of quiet.
  for (let i = 0; i < 3; i += 1) {
    assert.equal((await push(adaChannel, "response:update", { response: `v${i}` })).status, "ok");
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(bobs.metas(adaKey)[0].typing, true, `still typing after edit ${i}`);
  }
  await waitFor(() => bobs.metas(adaKey)[0]?.typing === false, 6000, "typing off after the last edit");
  assert.equal((await fetchChallenge(pair, ada.token, challenge.id)).response, "v2");
});

test("refusals: unknown challenge, oversize or non-string response, unknown event", async () => {
  const ada = await connectedUser(pair, "Ada");
  for (const topic of ["challenges:999999", "challenges:abc", "challenges:-1", "challenges:"]) {
    await assert.rejects(joinChannel(ada.socket, topic), (e) => {
      assert.deepEqual(e.reply, { reason: "not_found" }, topic);
      return true;
    });
  }
  const challenge = await createChallenge(pair, ada.token, { response: "keep me" });
  const { channel } = await joinChannel(ada.socket, `challenges:${challenge.id}`);
  const big = "x".repeat(256 * 1024 + 1);
  assert.deepEqual(await push(channel, "response:update", { response: big }), { status: "error", reply: { reason: "too_large" } });
  // Multi-byte characters count by their UTF-8 size: 65,537 emoji are 262,148 bytes.
  assert.deepEqual((await push(channel, "response:update", { response: "😀".repeat(65537) })).reply, { reason: "too_large" });
  for (const payload of [{ response: 42 }, { response: null }, {}, { text: "x" }])
    assert.deepEqual(await push(channel, "response:update", payload), { status: "error", reply: { reason: "invalid" } }, JSON.stringify(payload));
  assert.deepEqual(await push(channel, "nonsense", {}), { status: "error", reply: { reason: "unknown_event" } });
  const now = await fetchChallenge(pair, ada.token, challenge.id);
  assert.equal(now.response, "keep me");
  assert.equal(now.version, 0);
  // Exactly 256 KiB is accepted, and the channel still works.
  const max = "y".repeat(256 * 1024);
  const ok = await push(channel, "response:update", { response: max });
  assert.equal(ok.status, "ok");
  assert.equal(ok.reply.challenge.response.length, 256 * 1024);
});

test("a socket without a valid token cannot reach the channel", async () => {
  await assert.rejects(pair.openSocket("not-a-token"));
});
