// Tokens across the whole server: the socket's connect check (a valid token opens it,
// a missing, forged or expired one is refused with 403 as in Phoenix), expiry on the
// API with a real short lifetime (--token-ttl-seconds), and the secret's persistence
// across restarts and its configuration through PAIR_SECRET.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startPair, uniqueEmail, joinChannel, sleep, WebSocket, withTimeout } from "./pair_harness.mjs";

const servers = [];
async function start(opts) {
  const s = await startPair(opts);
  servers.push(s);
  return s;
}
after(async () => { for (const s of servers) await s.close(); });

/** The HTTP status of a raw WebSocket upgrade to the Pair socket (101 when accepted). */
function upgradeStatus(pair, query) {
  return withTimeout(new Promise((resolve, reject) => {
    const ws = new WebSocket(`${pair.socketUrl}/websocket?vsn=2.0.0${query}`);
    ws.on("unexpected-response", (req, res) => { resolve(res.statusCode); req.destroy(); });
    ws.on("open", () => { resolve(101); ws.close(); });
    ws.on("error", (e) => { if (!/Unexpected server response/.test(e.message)) reject(e); });
  }), 10000, "websocket upgrade");
}

function forge(token) {
  const [h, p, s] = token.split(".");
  return `${h}.${p}.${s.startsWith("A") ? "B" : "A"}${s.slice(1)}`;
}

test("a valid token opens the socket and the user can join a challenge", async () => {
  const pair = await start();
  const { token, user } = await pair.signUp("Ada", uniqueEmail("ada"), "analytical-engine");
  assert.equal(await upgradeStatus(pair, `&token=${encodeURIComponent(token)}`), 101);

  const socket = await pair.openSocket(token);
  const { reply } = await joinChannel(socket, "challenges:1");
  assert.equal(reply.challenge.id, 1);
  socket.disconnect();

  // The phoenix client's authToken option (sent as a WebSocket subprotocol) works too.
  const viaSubprotocol = await pair.openSocket(null, { authToken: token });
  const joined = await joinChannel(viaSubprotocol, "challenges:2");
  assert.equal(joined.reply.challenge.id, 2);
  viaSubprotocol.disconnect();
  assert.ok(user.id > 0);
});

test("a missing or forged token is refused: 403 on the upgrade, onError in the client", async () => {
  const pair = await start();
  const { token } = await pair.signUp("Eve", uniqueEmail("eve"), "not-eve-at-all");
  assert.equal(await upgradeStatus(pair, ""), 403);
  assert.equal(await upgradeStatus(pair, `&token=${encodeURIComponent(forge(token))}`), 403);
  assert.equal(await upgradeStatus(pair, "&token=garbage"), 403);

  await assert.rejects(pair.openSocket(null), /socket error before open/);
  await assert.rejects(pair.openSocket(forge(token)), /socket error before open/);
  await assert.rejects(pair.openSocket(null, { authToken: forge(token) }), /socket error before open/);
  // Refusals leave the server serving everyone else.
  const ok = await pair.openSocket(token);
  ok.disconnect();
});

test("an expired token is refused on the API and on the socket", async () => {
  // exp is in whole seconds, so a TTL of N lives between N-1 and N seconds: 4 leaves a
  // loaded machine 3 s to use the fresh token, and 4.1 s later it is surely expired.
  const pair = await start({ args: ["--token-ttl-seconds", "4"] });
  const email = uniqueEmail("old");
  const { token } = await pair.signUp("Old", email, "old-password");
  const issued = Date.now();
  assert.equal((await pair.api("GET", "/api/challenges", null, token)).status, 200, "fresh: accepted");
  await sleep(Math.max(0, issued + 4100 - Date.now()));
  const res = await pair.api("GET", "/api/challenges", null, token);
  assert.equal(res.status, 401, res.text);
  assert.equal(res.body.error, "unauthorized");
  assert.equal((await pair.api("GET", "/api/me", null, token)).status, 401);
  assert.equal(await upgradeStatus(pair, `&token=${encodeURIComponent(token)}`), 403);
  await assert.rejects(pair.openSocket(token), /socket error before open/);

  // Signing in again gives a token that works (until it expires too).
  const { token: fresh } = await pair.signIn(email, "old-password");
  assert.equal((await pair.api("GET", "/api/me", null, fresh)).status, 200);
});

test("users, challenges and the token secret survive a kill -9 and restart", async () => {
  const pair = await start();
  const email = uniqueEmail("durable");
  const { token, user } = await pair.signUp("Durable", email, "survives-crashes");
  const created = await pair.api("POST", "/api/challenges", { title: "Kept", prompt: "Still here?" }, token);
  assert.equal(created.status, 201, created.text);
  const secretFile = path.join(pair.dataDir, "secret");
  assert.equal(fs.statSync(secretFile).mode & 0o777, 0o600, "the secret is private");
  const secret = fs.readFileSync(secretFile, "utf8");

  await pair.kill("SIGKILL");
  await pair.restart();

  assert.equal(fs.readFileSync(secretFile, "utf8"), secret, "the secret is reused, not regenerated");
  const me = await pair.api("GET", "/api/me", null, token);
  assert.equal(me.status, 200, `the old token still works: ${me.text}`);
  assert.deepEqual(me.body.user, user);
  const kept = await pair.api("GET", `/api/challenges/${created.body.challenge.id}`, null, token);
  assert.equal(kept.status, 200, kept.text);
  assert.equal(kept.body.challenge.title, "Kept");
  const list = await pair.api("GET", "/api/challenges", null, token);
  assert.equal(list.body.challenges.filter((c) => c.title === "FizzBuzz").length, 1, "samples are not seeded twice");
  assert.equal((await pair.signIn(email, "survives-crashes")).user.id, user.id);
});

test("PAIR_SECRET makes servers accept each other's tokens; another secret does not", async () => {
  const shared = "a-shared-secret-for-two-nodes-0123";
  const a = await start({ env: { PAIR_SECRET: shared } });
  const b = await start({ env: { PAIR_SECRET: shared } });
  const c = await start({ args: ["--secret", "a-different-secret-entirely-4567"] });
  const { token } = await a.signUp("Nodes", uniqueEmail("nodes"), "two-nodes-one-secret");
  assert.equal((await b.api("GET", "/api/challenges", null, token)).status, 200);
  assert.equal((await c.api("GET", "/api/challenges", null, token)).status, 401);
  assert.ok(!fs.existsSync(path.join(a.dataDir, "secret")), "a configured secret is not written to disk");
});
