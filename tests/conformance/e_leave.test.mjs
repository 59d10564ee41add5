// Section E: leaving (items 41-46).
import { useServer, test, openRaw } from "./harness.mjs";

const server = useServer();

const OK = (response = {}) => ({ response, status: "ok" });

async function leaveRoomA(t) {
  const raw = await openRaw(t, server);
  await raw.join("room:a", {}, "1");
  raw.send(["1", "21", "room:a", "phx_leave", {}]);
  await raw.expect(["1", "21", "room:a", "phx_reply", OK()]);
  await raw.expect(["1", "1", "room:a", "phx_close", {}]);
  return raw;
}

test("41 leave: reply then phx_close", async (t) => {
  const raw = await leaveRoomA(t);
  await raw.expectNothing(300);
});

test("42 events after leave get unmatched topic", async (t) => {
  const raw = await leaveRoomA(t);
  raw.send(["1", "22", "room:a", "echo", {}]);
  await raw.expect([null, "22", "room:a", "phx_reply", { response: { reason: "unmatched topic" }, status: "error" }]);
});

test("43 leave of an unjoined topic answered ok with the join_ref", async (t) => {
  const raw = await openRaw(t, server);
  raw.send(["77", "23", "room:none", "phx_leave", {}]);
  await raw.expect(["77", "23", "room:none", "phx_reply", OK()]);
  await raw.expectNothing(300);
});

test("44 stale leave ignored; the channel stays joined", async (t) => {
  const raw = await openRaw(t, server);
  await raw.join("room:g", {}, "30");
  raw.send(["29", "31", "room:g", "phx_leave", {}]);
  await raw.expectNothing(300, "stale leave must not be answered");
  raw.send(["30", "33", "room:g", "echo", { still: true }]);
  await raw.expect(["30", "33", "room:g", "phx_reply", OK({ still: true })]);
});

test("45 leave with null join_ref", async (t) => {
  const raw = await openRaw(t, server);
  await raw.join("room:g", {}, "30");
  raw.send([null, "32", "room:g", "phx_leave", {}]);
  await raw.expect(["30", "32", "room:g", "phx_reply", OK()]);
  await raw.expect(["30", "30", "room:g", "phx_close", {}]);
  raw.send(["30", "34", "room:g", "echo", {}]);
  await raw.expect([null, "34", "room:g", "phx_reply", { response: { reason: "unmatched topic" }, status: "error" }]);
});

test("46 leave then join again", async (t) => {
  const raw = await leaveRoomA(t);
  raw.send(["40", "40", "room:a", "phx_join", {}]);
  await raw.expect(["40", "40", "room:a", "phx_reply", OK()]);
  await raw.expectNothing(300, "no phx_close after the new join");
  raw.send(["40", "41", "room:a", "echo", {}]);
  await raw.expect(["40", "41", "room:a", "phx_reply", OK()]);
});
