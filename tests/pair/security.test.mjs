// What Pair defends (docs/security.md), each checked against the real server: the
// socket's origin check is on without configuration, tokens and passwords never reach the
// log even at trace level, the secret and the data dir are private, oversized API bodies
// are refused, and text that looks like SQL is stored as text.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startPair, uniqueEmail, WebSocket, withTimeout, httpRequest, HOST } from "./pair_harness.mjs";

const servers = [];
async function start(opts = {}) {
  const s = await startPair(opts);
  servers.push(s);
  return s;
}
after(async () => {
  for (const s of servers) await s.close();
});

/** Opens a raw WebSocket to Pair's socket; resolves the HTTP status of the upgrade (101 when accepted). */
function upgradeStatus(pair, token, headers = {}) {
  const url = `${pair.socketUrl}/websocket?vsn=2.0.0&token=${encodeURIComponent(token)}`;
  return withTimeout(new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on("open", () => { ws.close(); resolve(101); });
    ws.on("unexpected-response", (_req, res) => { res.resume(); resolve(res.statusCode); });
    ws.on("error", reject);
  }), 10000, "websocket upgrade");
}

function longpollStatus(pair, token, headers = {}) {
  return httpRequest(HOST, pair.port, "GET", `/socket/longpoll?vsn=2.0.0&token=${encodeURIComponent(token)}`, { headers });
}

test("only pages of the server's own origin may open the socket, unless configured", async () => {
  const pair = await start();
  const { token } = await pair.signUp("Origin", uniqueEmail("origin"), "a-long-password");
  assert.equal(await upgradeStatus(pair, token), 101, "no Origin (a non-browser client) passes");
  assert.equal(await upgradeStatus(pair, token, { origin: pair.origin }), 101, "the server's own origin passes");
  assert.equal(await upgradeStatus(pair, token, { origin: "http://evil.example" }), 403);
  assert.equal(await upgradeStatus(pair, token, { origin: `http://${HOST}:1` }), 403, "another port is another origin");
  // Long-poll answers HTTP 200 and carries Phoenix's status in the body.
  assert.equal((await longpollStatus(pair, token, { origin: "http://evil.example" })).body.status, 403);
  assert.equal((await longpollStatus(pair, token, { origin: pair.origin })).body.status, 410, "a new session");

  const listed = await start({ args: ["--origin", "https://pair.example.com"] });
  const other = await listed.signUp("Listed", uniqueEmail("listed"), "a-long-password");
  assert.equal(await upgradeStatus(listed, other.token, { origin: "https://pair.example.com" }), 101);
  assert.equal(await upgradeStatus(listed, other.token, { origin: listed.origin }), 403, "the list replaces the default");

  const open = await start({ args: ["--any-origin"] });
  const dev = await open.signUp("Dev", uniqueEmail("dev"), "a-long-password");
  assert.equal(await upgradeStatus(open, dev.token, { origin: "http://localhost:5173" }), 101);
});

test("an origin without a host is refused at start", async () => {
  await assert.rejects(startPair({ args: ["--origin", "pair.example.com"] }), /bad --origin/);
});

test("tokens and passwords never reach the log, even at trace level", async () => {
  const pair = await start({ args: ["--log-level", "trace"] });
  const password = "never-in-a-log-4711";
  const email = uniqueEmail("quiet");
  const { token } = await pair.signUp("Quiet", email, password);
  const again = await pair.signIn(email, password);
  assert.equal((await pair.api("POST", "/api/sessions", { email, password: "wrong-password-0815" })).status, 401);
  const socket = await pair.openSocket(token);
  socket.disconnect();
  const viaSubprotocol = await pair.openSocket(null, { authToken: again.token });
  viaSubprotocol.disconnect();
  const forged = `${token.slice(0, -4)}AAAA`;
  assert.equal(await upgradeStatus(pair, forged), 403);
  assert.equal(await upgradeStatus(pair, "not-a-token-at-all"), 403);
  const log = pair.output;
  assert.ok(log.length > 0, "the server logged something");
  const [, payload, signature] = token.split(".");
  for (const secret of [token, again.token, forged, payload, signature, password, "wrong-password-0815"]) {
    assert.ok(!log.includes(secret), `the log holds a secret: ${secret.slice(0, 12)}…`);
  }
});

test("the token secret and the data dir are private", async () => {
  const pair = await start();
  const secret = fs.statSync(path.join(pair.dataDir, "secret"));
  assert.equal(secret.mode & 0o777, 0o600);
  assert.equal(fs.statSync(pair.dataDir).mode & 0o077, 0, "no access for group or others");
});

test("an oversized API body is refused and the server goes on serving", async () => {
  const pair = await start();
  const { token } = await pair.signUp("Big", uniqueEmail("big"), "a-long-password");
  const body = JSON.stringify({ title: "big", prompt: "x".repeat(2 << 20), response: "" });
  let status;
  try {
    status = (await pair.api("POST", "/api/challenges", body, token)).status;
  } catch (e) {
    // The server may answer 413 and close before it has read the whole body.
    assert.ok(["EPIPE", "ECONNRESET"].includes(e.code), e.message);
    status = 413;
  }
  assert.equal(status, 413);
  assert.equal((await pair.api("GET", "/api/challenges", null, token)).status, 200);
});

test("text that looks like SQL is stored and read back as text", async () => {
  const pair = await start();
  const email = uniqueEmail("o'brien");
  const { token } = await pair.signUp("Robert'); DROP TABLE users;--", email, "a-long-password");
  const title = "x'; DELETE FROM challenges; --";
  const created = await pair.api("POST", "/api/challenges", { title, prompt: "' OR '1'='1", response: "\"; --" }, token);
  assert.equal(created.status, 201, created.text);
  const read = await pair.api("GET", `/api/challenges/${created.body.challenge.id}`, null, token);
  assert.equal(read.body.challenge.title, title);
  assert.equal(read.body.challenge.prompt, "' OR '1'='1");
  const list = await pair.api("GET", "/api/challenges", null, token);
  assert.ok(list.body.challenges.length >= 5, "the samples are still there");
  assert.equal((await pair.signIn(email, "a-long-password")).user.first_name, "Robert'); DROP TABLE users;--");
});
