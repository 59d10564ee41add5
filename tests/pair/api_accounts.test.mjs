// Pair's account API against the real `pair` binary (SQLite in a temp data dir):
// sign-up, its validation and duplicate rules, sign-in, and /api/me with a token.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startPair, uniqueEmail } from "./pair_harness.mjs";

let pair;
before(async () => { pair = await startPair(); });
after(async () => { await pair?.close(); });

test("sign up returns a token and the public user", async () => {
  const email = uniqueEmail("ada");
  const res = await pair.api("POST", "/api/users", { first_name: "Ada", email, password: "correct horse" });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.headers["content-type"], "application/json");
  assert.equal(typeof res.body.token, "string");
  assert.equal(res.body.token.split(".").length, 3, "a JWT");
  assert.deepEqual(Object.keys(res.body.user).sort(), ["email", "first_name", "id"]);
  assert.equal(res.body.user.first_name, "Ada");
  assert.equal(res.body.user.email, email);
  assert.ok(Number.isInteger(res.body.user.id) && res.body.user.id > 0);
  assert.ok(!res.text.includes("correct horse"), "the password never comes back");
  assert.ok(!res.text.includes("argon2"), "nor its hash");
});

test("the same email again, in any case, is 409 email_taken", async () => {
  const email = uniqueEmail("dup");
  await pair.signUp("First", email, "password-one");
  const res = await pair.api("POST", "/api/users", { first_name: "Second", email: email.toUpperCase(), password: "password-two" });
  assert.equal(res.status, 409, res.text);
  assert.equal(res.body.error, "email_taken");
  assert.equal(typeof res.body.message, "string");
});

test("a weak password is 422 with the field's message", async () => {
  const res = await pair.api("POST", "/api/users", { first_name: "Ada", email: uniqueEmail(), password: "short" });
  assert.equal(res.status, 422, res.text);
  assert.equal(res.body.error, "invalid");
  assert.equal(res.body.errors.password, "must be at least 8 characters");
});

test("every invalid field is reported at once", async () => {
  const res = await pair.api("POST", "/api/users", { first_name: "", email: "not-an-email", password: 12345678 });
  assert.equal(res.status, 422, res.text);
  assert.deepEqual(Object.keys(res.body.errors).sort(), ["email", "first_name", "password"]);
  assert.equal(res.body.errors.password, "must be a string");
});

test("sign in with the right password returns a fresh token", async () => {
  const email = uniqueEmail("grace");
  const { user } = await pair.signUp("Grace", email, "hopper-1906");
  const res = await pair.api("POST", "/api/sessions", { email: email.toUpperCase(), password: "hopper-1906" });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.user.id, user.id);
  assert.equal(res.body.user.first_name, "Grace");
  const me = await pair.api("GET", "/api/me", null, res.body.token);
  assert.equal(me.status, 200, me.text);
  assert.deepEqual(me.body.user, user);
});

test("a wrong password and an unknown email are the same 401", async () => {
  const email = uniqueEmail("linus");
  await pair.signUp("Linus", email, "right-password");
  const wrong = await pair.api("POST", "/api/sessions", { email, password: "wrong-password" });
  assert.equal(wrong.status, 401, wrong.text);
  assert.equal(wrong.body.error, "invalid_credentials");
  const unknown = await pair.api("POST", "/api/sessions", { email: uniqueEmail("nobody"), password: "right-password" });
  assert.equal(unknown.status, 401, unknown.text);
  assert.equal(unknown.body.error, "invalid_credentials");
  assert.equal(unknown.body.message, wrong.body.message, "nothing tells the two apart");
});

test("GET /api/me needs a valid token", async () => {
  const { token } = await pair.signUp("Me", uniqueEmail("me"), "me-password");
  const ok = await pair.api("GET", "/api/me", null, token);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.user.first_name, "Me");

  const missing = await pair.api("GET", "/api/me");
  assert.equal(missing.status, 401);
  assert.equal(missing.body.error, "unauthorized");
  assert.equal(missing.headers["www-authenticate"], "Bearer");

  const [h, p, s] = token.split(".");
  const forged = `${h}.${p}.${s.slice(0, -2)}${s.slice(-2) === "AA" ? "BB" : "AA"}`;
  assert.equal((await pair.api("GET", "/api/me", null, forged)).status, 401);
  assert.equal((await pair.api("GET", "/api/me", null, "garbage")).status, 401);
  const basic = await pair.api("GET", "/api/me", null, null, { headers: { authorization: `Basic ${token}` } });
  assert.equal(basic.status, 401);
});

test("malformed and oversized bodies are refused with JSON errors, and the server keeps serving", async () => {
  const bad = await pair.api("POST", "/api/users", "{not json");
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.body.error, "malformed_json");
  const notObject = await pair.api("POST", "/api/sessions", "[1,2,3]");
  assert.equal(notObject.status, 400, notObject.text);
  const big = await pair.api("POST", "/api/users", { first_name: "A", email: uniqueEmail(), password: "x".repeat(1100 * 1024) });
  assert.equal(big.status, 413, big.text);
  assert.equal(big.body.error, "too_large");
  const after = await pair.api("POST", "/api/users", { first_name: "Still", email: uniqueEmail(), password: "still-serving" });
  assert.equal(after.status, 201, after.text);
});

test("wrong method on an API path is 405, an unknown path 404", async () => {
  assert.equal((await pair.api("DELETE", "/api/users")).status, 405);
  assert.equal((await pair.api("GET", "/api/nothing-here")).status, 404);
});
