// Section B: heartbeat and liveness (items 14, 15, 16, 19). The idle timeout
// items 17 and 18 are in b_idle.test.mjs (they need a shortened idle timeout).
import assert from "node:assert/strict";
import { useServer, test, openRaw } from "./harness.mjs";

const server = useServer();

const HB_REPLY = (ref) => [null, ref, "phoenix", "phx_reply", { response: {}, status: "ok" }];

test("14 heartbeat reply with no channel joined", async (t) => {
  const raw = await openRaw(t, server);
  raw.send([null, "7", "phoenix", "heartbeat", {}]);
  await raw.expect(HB_REPLY("7"));
  await raw.expectNothing(300);
});

test("15 heartbeat answered by the socket even with a channel on topic phoenix", async (t) => {
  const raw = await openRaw(t, server);
  await raw.join("phoenix", {}, "5");
  raw.send([null, "7", "phoenix", "heartbeat", {}]);
  await raw.expect(HB_REPLY("7"));
  raw.send(["5", "8", "phoenix", "heartbeat", {}]);
  await raw.expect(HB_REPLY("8"));
  await raw.expectNothing(300, "the channel must not see heartbeat events");
  raw.send(["5", "9", "phoenix", "echo", { still: "here" }]);
  await raw.expect(["5", "9", "phoenix", "phx_reply", { response: { still: "here" }, status: "ok" }]);
});

test("16 heartbeat join_ref ignored", async (t) => {
  const raw = await openRaw(t, server);
  raw.send(["99", "8", "phoenix", "heartbeat", {}]);
  await raw.expect(HB_REPLY("8"));
});

test("19 heartbeat answered promptly while another channel's handler is busy", async (t) => {
  const raw = await openRaw(t, server);
  await raw.join("room:slow19", {}, "1");
  await raw.join("room:other19", {}, "2");
  raw.send(["1", "s", "room:slow19", "slow", { ms: 1500 }]);
  // let the slow handler start
  await new Promise((r) => setTimeout(r, 50));
  const sent = Date.now();
  raw.send([null, "h", "phoenix", "heartbeat", {}]);
  await raw.expect(HB_REPLY("h"), 1000);
  const rtt = Date.now() - sent;
  assert.ok(rtt < 250, `heartbeat answered after ${rtt} ms while a handler was busy`);
  raw.send(["2", "e", "room:other19", "echo", {}]);
  await raw.expect(["2", "e", "room:other19", "phx_reply", { response: {}, status: "ok" }], 1000);
  await raw.expect(["1", "s", "room:slow19", "phx_reply", { response: {}, status: "ok" }], 3000);
  const elapsed = Date.now() - sent;
  assert.ok(elapsed >= 1300, `slow reply after ${elapsed} ms, expected about 1500 ms`);
});
