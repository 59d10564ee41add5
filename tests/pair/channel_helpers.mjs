// Helpers shared by the challenge-channel and collab tests: a signed-up user with a
// connected socket, a fresh challenge, and waiting for pushed events.
import { uniqueEmail, withTimeout } from "./pair_harness.mjs";

/** Signs up `name` and opens a socket; resolves {token, user, socket}. */
export async function connectedUser(pair, name) {
  const { token, user } = await pair.signUp(name, uniqueEmail(name.toLowerCase()), "correct horse battery");
  const socket = await pair.openSocket(token);
  return { token, user, socket };
}

/** Creates a challenge through the API; resolves its JSON. */
export async function createChallenge(pair, token, fields = {}) {
  const res = await pair.api("POST", "/api/challenges", {
    title: "Two sum", prompt: "Find two numbers that add up to a target.", language: "javascript", response: "", ...fields,
  }, token);
  if (res.status !== 201) throw new Error(`create challenge: ${res.status} ${res.text}`);
  return res.body.challenge;
}

/** The challenge as GET /api/challenges/<id> returns it. */
export async function fetchChallenge(pair, token, id) {
  const res = await pair.api("GET", `/api/challenges/${id}`, null, token);
  if (res.status !== 200) throw new Error(`get challenge ${id}: ${res.status} ${res.text}`);
  return res.body.challenge;
}

/**
 * Records every `event` pushed on `channel`; `next(pred, ms)` resolves the first
 * recorded payload (old or new) matching pred that was not handed out before.
 */
export function recorder(channel, event) {
  const seen = [];
  const waiters = [];
  let taken = 0;
  channel.on(event, (payload) => {
    seen.push({ payload, at: Date.now() });
    for (const w of [...waiters]) w();
  });
  return {
    seen,
    next(pred = () => true, ms = 5000) {
      return withTimeout(new Promise((resolve) => {
        const check = () => {
          for (let i = taken; i < seen.length; i += 1) {
            if (pred(seen[i].payload)) {
              taken = i + 1;
              waiters.splice(waiters.indexOf(check), 1);
              resolve(seen[i]);
              return true;
            }
          }
          return false;
        };
        waiters.push(check);
        check();
      }), ms, `waiting for ${event}`);
    },
  };
}
