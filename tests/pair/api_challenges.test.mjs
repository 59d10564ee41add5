// Pair's challenge API against the real `pair` binary (SQLite in a temp data dir): the
// token requirement, the sample challenges, create / get / patch (a patched response
// goes through collaborative editing and reaches the room), and the error answers.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startPair, uniqueEmail, joinChannel, withTimeout } from "./pair_harness.mjs";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
let pair;
let token;

before(async () => {
  pair = await startPair();
  ({ token } = await pair.signUp("Ada", uniqueEmail("ada"), "analytical-engine"));
});
after(async () => { await pair?.close(); });

function assertChallengeShape(c) {
  assert.deepEqual(Object.keys(c).sort(),
    ["id", "inserted_at", "language", "prompt", "response", "title", "updated_at", "version"]);
  assert.ok(Number.isInteger(c.id));
  assert.ok(Number.isInteger(c.version));
  assert.match(c.inserted_at, ISO);
  assert.match(c.updated_at, ISO);
}

test("every challenge endpoint needs a token", async () => {
  const [h, p, s] = token.split(".");
  const forged = `${h}.${p}.${s.startsWith("A") ? "B" : "A"}${s.slice(1)}`;
  const calls = [
    ["GET", "/api/challenges", null],
    ["POST", "/api/challenges", { title: "T", prompt: "P" }],
    ["GET", "/api/challenges/1", null],
    ["PATCH", "/api/challenges/1", { title: "Hacked" }],
  ];
  for (const [method, path, body] of calls) {
    for (const bad of [null, forged, "not-a-token"]) {
      const res = await pair.api(method, path, body, bad);
      assert.equal(res.status, 401, `${method} ${path} with ${bad ? "a bad" : "no"} token: ${res.text}`);
      assert.equal(res.body.error, "unauthorized");
    }
  }
  const first = await pair.api("GET", "/api/challenges/1", null, token);
  assert.notEqual(first.body.challenge.title, "Hacked", "the refused PATCH changed nothing");
});

test("the list holds the sample challenges", async () => {
  const res = await pair.api("GET", "/api/challenges", null, token);
  assert.equal(res.status, 200, res.text);
  const titles = res.body.challenges.map((c) => c.title);
  for (const t of ["FizzBuzz", "Two Sum", "Reverse a linked list", "Valid parentheses"]) assert.ok(titles.includes(t), t);
  for (const c of res.body.challenges) assertChallengeShape(c);
  const fizz = res.body.challenges.find((c) => c.title === "FizzBuzz");
  assert.ok(fizz.prompt.length > 20);
  assert.ok(fizz.response.length > 0, "a starter response");
  assert.ok(fizz.language.length > 0);
});

test("create, get and patch a challenge", async () => {
  const created = await pair.api("POST", "/api/challenges",
    { title: "Palindrome", prompt: "Is the string a palindrome?", language: "python", response: "def f(s):\r\n    pass\r\n" },
    token);
  assert.equal(created.status, 201, created.text);
  const c = created.body.challenge;
  assertChallengeShape(c);
  assert.equal(c.title, "Palindrome");
  assert.equal(c.language, "python");
  assert.equal(c.response, "def f(s):\n    pass\n", "line breaks as CodeMirror counts them");
  assert.equal(c.version, 0);

  const got = await pair.api("GET", `/api/challenges/${c.id}`, null, token);
  assert.equal(got.status, 200, got.text);
  assert.deepEqual(got.body.challenge, c);

  const listed = await pair.api("GET", "/api/challenges", null, token);
  assert.equal(listed.body.challenges.at(-1).id, c.id, "newest last");

  const renamed = await pair.api("PATCH", `/api/challenges/${c.id}`, { title: "Palindromes" }, token);
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal(renamed.body.challenge.title, "Palindromes");
  assert.equal(renamed.body.challenge.prompt, c.prompt, "untouched fields stay");
  assert.equal(renamed.body.challenge.version, 0, "no response change, no new version");

  const answered = await pair.api("PATCH", `/api/challenges/${c.id}`,
    { response: "def f(s):\n    return s == s[::-1]\n", language: "python3" }, token);
  assert.equal(answered.status, 200, answered.text);
  assert.equal(answered.body.challenge.response, "def f(s):\n    return s == s[::-1]\n");
  assert.equal(answered.body.challenge.language, "python3");
  assert.equal(answered.body.challenge.version, 1, "one collaborative update");
  assert.equal((await pair.api("GET", `/api/challenges/${c.id}`, null, token)).body.challenge.version, 1);

  const untouched = await pair.api("PATCH", `/api/challenges/${c.id}`, {}, token);
  assert.equal(untouched.status, 200, untouched.text);
  assert.deepEqual(untouched.body.challenge, answered.body.challenge);
});

test("a patched response reaches everyone in the challenge's room", async () => {
  const created = await pair.api("POST", "/api/challenges", { title: "Room", prompt: "Watch this", response: "old" }, token);
  const id = created.body.challenge.id;
  const socket = await pair.openSocket(token);
  const { channel, reply } = await joinChannel(socket, `challenges:${id}`);
  assert.equal(reply.challenge.response, "old");
  const heard = withTimeout(new Promise((resolve) => channel.on("response:updated", resolve)), 10000, "response:updated");
  const patched = await pair.api("PATCH", `/api/challenges/${id}`, { response: "new text" }, token);
  assert.equal(patched.status, 200, patched.text);
  const msg = await heard;
  assert.equal(msg.challenge.id, id);
  assert.equal(msg.challenge.response, "new text");
  assert.equal(msg.challenge.version, patched.body.challenge.version);
  socket.disconnect();
});

test("an unknown challenge is 404 not_found", async () => {
  for (const path of ["/api/challenges/999999", "/api/challenges/abc", "/api/challenges/0", "/api/challenges/1/x"]) {
    const res = await pair.api("GET", path, null, token);
    assert.equal(res.status, 404, `${path}: ${res.text}`);
    assert.equal(res.body.error, "not_found");
  }
  const patch = await pair.api("PATCH", "/api/challenges/999999", { title: "x" }, token);
  assert.equal(patch.status, 404, patch.text);
  const patchResponse = await pair.api("PATCH", "/api/challenges/999999", { response: "x" }, token);
  assert.equal(patchResponse.status, 404, patchResponse.text);
});

test("invalid challenge fields are 422 with every field's message", async () => {
  const res = await pair.api("POST", "/api/challenges", { title: "", prompt: 7, language: "Not OK" }, token);
  assert.equal(res.status, 422, res.text);
  assert.equal(res.body.error, "invalid");
  assert.deepEqual(Object.keys(res.body.errors).sort(), ["language", "prompt", "title"]);
  const tooBig = await pair.api("PATCH", "/api/challenges/1", { response: "x".repeat(256 * 1024 + 1) }, token);
  assert.equal(tooBig.status, 422, tooBig.text);
  assert.equal(tooBig.body.errors.response, "must be at most 256 KiB");
});

test("malformed JSON is 400 and a body over 1 MiB is 413", async () => {
  const bad = await pair.api("POST", "/api/challenges", "{\"title\": ", token);
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.body.error, "malformed_json");
  const badPatch = await pair.api("PATCH", "/api/challenges/1", "nope", token);
  assert.equal(badPatch.status, 400, badPatch.text);
  const big = await pair.api("POST", "/api/challenges", { title: "T", prompt: "p".repeat(1024 * 1024) }, token);
  assert.equal(big.status, 413, big.text);
  assert.equal(big.body.error, "too_large");
  const ok = await pair.api("GET", "/api/challenges/1", null, token);
  assert.equal(ok.status, 200, "still serving");
});
