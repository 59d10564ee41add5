// Pair on PostgreSQL: a real server started for this file (initdb into a temp dir, a
// free loopback port), Pair nodes pointed at it with --db or PAIR_DATABASE_URL. The
// API behaves as on SQLite, data survives a restart, and two nodes sharing the database
// (and a PAIR_SECRET) see each other's writes and never both take one version.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startPair, startPostgres, uniqueEmail } from "./pair_harness.mjs";

const SECRET = "postgres-test-shared-secret-0123456789";
let pg;
const servers = [];
async function start(opts) {
  const s = await startPair({ env: { PAIR_SECRET: SECRET }, ...opts });
  servers.push(s);
  return s;
}

before(async () => { pg = await startPostgres(); });
after(async () => {
  for (const s of servers) await s.close();
  await pg?.stop();
});

test("the API works on PostgreSQL and its data survives a restart", async () => {
  const pair = await start({ db: pg.url });
  const email = uniqueEmail("pg");
  const { token, user } = await pair.signUp("Postgres", email, "relational-1996");
  const dup = await pair.api("POST", "/api/users", { first_name: "Dup", email: email.toUpperCase(), password: "another-one" });
  assert.equal(dup.status, 409, dup.text);
  assert.equal(dup.body.error, "email_taken");
  const bad = await pair.api("POST", "/api/sessions", { email, password: "wrong-password" });
  assert.equal(bad.status, 401);

  const list = await pair.api("GET", "/api/challenges", null, token);
  assert.equal(list.status, 200, list.text);
  const titles = list.body.challenges.map((c) => c.title);
  for (const t of ["FizzBuzz", "Two Sum", "Reverse a linked list", "Valid parentheses"]) assert.ok(titles.includes(t), t);

  const created = await pair.api("POST", "/api/challenges", { title: "On PG", prompt: "Stored in PostgreSQL", response: "x" }, token);
  assert.equal(created.status, 201, created.text);
  const id = created.body.challenge.id;
  const patched = await pair.api("PATCH", `/api/challenges/${id}`, { title: "On PostgreSQL", response: "xy" }, token);
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.body.challenge.version, 1);
  assert.equal((await pair.api("GET", "/api/challenges/424242", null, token)).status, 404);

  await pair.kill("SIGKILL");
  await pair.restart();
  const me = await pair.api("GET", "/api/me", null, token);
  assert.equal(me.status, 200, me.text);
  assert.deepEqual(me.body.user, user);
  const kept = await pair.api("GET", `/api/challenges/${id}`, null, token);
  assert.equal(kept.body.challenge.title, "On PostgreSQL");
  assert.equal(kept.body.challenge.response, "xy");
  assert.equal(kept.body.challenge.version, 1);
  const again = await pair.api("GET", "/api/challenges", null, token);
  assert.equal(again.body.challenges.filter((c) => c.title === "FizzBuzz").length, 1, "samples seeded once");
});

test("two nodes on one database share users and challenges, and agree on every version", async () => {
  const a = await start({ db: pg.url });
  const b = await start({ env: { PAIR_SECRET: SECRET, PAIR_DATABASE_URL: pg.url } });
  const email = uniqueEmail("shared");
  const { token } = await a.signUp("Shared", email, "one-database");
  assert.equal((await b.signIn(email, "one-database")).user.first_name, "Shared", "B reads A's user");

  const created = await b.api("POST", "/api/challenges", { title: "Shared", prompt: "Both nodes", response: "" }, token);
  const id = created.body.challenge.id;
  assert.equal((await a.api("GET", `/api/challenges/${id}`, null, token)).body.challenge.title, "Shared");

  // Both nodes replace the response at the same time, 8 times each: every replacement
  // is one update at the version the database says is next, so none is lost.
  const rounds = 8;
  const writes = [];
  for (let i = 0; i < rounds; i += 1) {
    writes.push(a.api("PATCH", `/api/challenges/${id}`, { response: `a${i}` }, token));
    writes.push(b.api("PATCH", `/api/challenges/${id}`, { response: `b${i}` }, token));
  }
  const results = await Promise.all(writes);
  for (const r of results) assert.equal(r.status, 200, r.text);
  const versions = results.map((r) => r.body.challenge.version).sort((x, y) => x - y);
  assert.deepEqual(versions, Array.from({ length: 2 * rounds }, (_, i) => i + 1), "each write got its own version");
  const final = (await a.api("GET", `/api/challenges/${id}`, null, token)).body.challenge;
  assert.equal(final.version, 2 * rounds);
  const last = results.find((r) => r.body.challenge.version === 2 * rounds).body.challenge;
  assert.equal(final.response, last.response, "the stored text is the last write's");
});
