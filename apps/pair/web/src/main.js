// Role: Pair's front end entry point: the account bar, sign-out, and the router that
// shows the sign-up/log-in pages, the challenge list or a challenge room. Signed-out
// visitors are sent to log in; a 401 from the API (expired token) signs out.
// Main thread.
import "./style.css";
import { api, onUnauthorized } from "./api.js";
import { closeSocket, onConnectionChange } from "./connection.js";
import { h } from "./dom.js";
import { navigate, startRouter } from "./router.js";
import { clearSession, loadSession } from "./session.js";
import { renderLogIn, renderSignUp } from "./views/auth_view.js";
import { renderChallenges } from "./views/challenges_view.js";
import { renderRoom } from "./views/room_view.js";

const app = document.getElementById("app");
const account = document.getElementById("account");
let cleanup = null;

function signOut() {
  clearSession();
  closeSocket();
  navigate("#/login");
}

function renderAccount(session) {
  account.replaceChildren(
    ...(session
      ? [
          h("span", { class: "who", id: "current-user" }, session.user.first_name),
          h("button", { type: "button", class: "link", id: "logout", onclick: signOut }, "Log out"),
        ]
      : []),
  );
}

function render(route) {
  cleanup?.();
  cleanup = null;
  const session = loadSession();
  renderAccount(session);
  const publicPage = route.name === "login" || route.name === "signup";
  if (!session && !publicPage) return navigate("#/login");
  if (session && publicPage) return navigate("#/");
  document.title = "Pair";
  document.body.dataset.page = route.name;
  switch (route.name) {
    case "login":
      return renderLogIn(app);
    case "signup":
      return renderSignUp(app);
    case "room":
      cleanup = renderRoom(app, route.id);
      return;
    default:
      return renderChallenges(app);
  }
}

onUnauthorized(signOut);
// The socket cannot tell a server that is down from one that refuses an expired token
// (both look like a failed upgrade to the browser); the API can. At most every 5 s.
let lastCheck = 0;
onConnectionChange((online) => {
  if (online || !loadSession() || Date.now() - lastCheck < 5000) return;
  lastCheck = Date.now();
  api("GET", "/api/me").catch(() => {}); // a 401 signs out through onUnauthorized
});
startRouter(render);
