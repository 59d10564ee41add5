// Pair over TLS (--tls-cert/--tls-key): sign-up over https://, the official client over
// wss:// with the token, a challenge channel joined, and the default origin check
// comparing against the https:// scheme the request really came on. The certificate is
// a throwaway self-signed one, trusted by the clients as their CA.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startPair, uniqueEmail, waitOpen, joinChannel, Socket, WebSocket, HOST } from "./pair_harness.mjs";
import { makeCertificate, httpsRequest, trustingWebSocket } from "../support/tls_fixture.mjs";

const TLS = makeCertificate();
let pair;
before(async () => { pair = await startPair({ args: ["--tls-cert", TLS.cert, "--tls-key", TLS.key] }); });
after(async () => {
  await pair?.close();
  TLS.remove();
});

const api = (method, pathname, body = null, token = null) =>
  httpsRequest(HOST, pair.port, method, pathname, { ca: TLS.ca, body, headers: token ? { authorization: `Bearer ${token}` } : {} });

/** Resolves the HTTP status of a raw WebSocket upgrade with `origin` (101 when it opened). */
function upgradeStatus(token, origin) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://${HOST}:${pair.port}/socket/websocket?vsn=2.0.0&token=${encodeURIComponent(token)}`,
      { ca: TLS.ca, headers: { origin }, handshakeTimeout: 10000 });
    ws.once("open", () => { ws.terminate(); resolve(101); });
    ws.once("unexpected-response", (req, res) => { req.destroy(); resolve(res.statusCode); });
    ws.once("error", reject);
  });
}

test("the listening line marks TLS", () => {
  assert.match(pair.output, new RegExp(`pair listening on ${HOST.replace(/\./g, "\\.")}:${pair.port} \\(tls\\)`));
});

test("sign up over https, then the socket over wss with the token joins a challenge", async (t) => {
  const signUp = await api("POST", "/api/users", { first_name: "Tess", email: uniqueEmail("tls"), password: "correct horse" });
  assert.equal(signUp.status, 201, signUp.text);
  const { token } = signUp.body;
  const me = await api("GET", "/api/me", null, token);
  assert.equal(me.status, 200, me.text);
  assert.equal(me.body.user.first_name, "Tess");
  const list = await api("GET", "/api/challenges", null, token);
  assert.equal(list.status, 200, list.text);
  const { challenges } = list.body;
  assert.ok(challenges.length > 0, `sample challenges: ${list.text}`);

  const socket = new Socket(`wss://${HOST}:${pair.port}/socket`, {
    transport: trustingWebSocket(WebSocket, TLS.ca), params: { token }, reconnectAfterMs: () => 60000,
  });
  t.after(() => socket.disconnect());
  socket.connect();
  await waitOpen(socket);
  const { reply } = await joinChannel(socket, `challenges:${challenges[0].id}`);
  assert.ok(reply, "join reply");
});

test("the default origin check expects the page's https:// origin", async () => {
  const { token } = (await api("POST", "/api/users", { first_name: "Otto", email: uniqueEmail("origin"), password: "correct horse" })).body;
  assert.equal(await upgradeStatus(token, `https://${HOST}:${pair.port}`), 101);
  assert.equal(await upgradeStatus(token, `http://${HOST}:${pair.port}`), 403);
});
