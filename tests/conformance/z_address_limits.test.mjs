// Per-address limits: open connections (503 before anything is read) and long-poll
// sessions (429). Both are per client address, so a host over its limit does not stop
// another address, and a place freed is a place available again.
import assert from "node:assert/strict";
import { useServer, test, openRaw, lpGet, sleep } from "./harness.mjs";
import { Raw } from "./harness.mjs";

const server = useServer({ args: ["--max-connections-per-address", "4", "--max-longpoll-sessions-per-address", "2"] });

async function refusedWith(promise) {
  try {
    const raw = await promise;
    raw.terminate();
  } catch (e) {
    return e.status;
  }
  return null;
}

test("connections beyond the per-address limit are refused with 503 until one closes", async (t) => {
  const open = [];
  for (let i = 0; i < 4; i++) open.push(await openRaw(t, server));
  assert.equal(await refusedWith(Raw.open(server)), 503);
  // Another loopback address is counted apart.
  const other = await Raw.open(server, { localAddress: "127.0.0.2" }).catch((e) => e);
  if (other instanceof Error) assert.fail(`127.0.0.2 was refused: ${other.message}`);
  other.terminate();
  // The open ones keep working; closing one frees a place.
  await open[0].heartbeat();
  open[1].close(1000);
  await open[1].closed(3000);
  let again = null;
  for (let i = 0; i < 20 && again === null; i++) {
    await sleep(50);
    again = await Raw.open(server).catch(() => null);
  }
  assert.ok(again, "a freed place could be taken again");
  again.terminate();
});

test("long-poll sessions beyond the per-address limit are refused with 429", async () => {
  const first = await lpGet(server);
  const second = await lpGet(server);
  assert.equal(JSON.parse(first.text).status, 410);
  assert.equal(JSON.parse(second.text).status, 410);
  const third = await lpGet(server);
  assert.equal(third.httpStatus, 429);
  assert.deepEqual(JSON.parse(third.text), { status: 429 });
});
