// Role: the challenge room: the prompt, the shared editor kept in sync by CollabPeer,
// who is here (Presence) with colour dots and typing indicators, and other people's
// cursors. Joins `challenges:<id>`; the phoenix client rejoins by itself after a
// reconnect, and every (re)join reply resynchronises the editor. Returns a cleanup
// function the router calls when the page changes. Main thread.
import { Presence } from "phoenix";
import { api } from "../api.js";
import { getSocket, onConnectionChange } from "../connection.js";
import { h } from "../dom.js";
import { loadSession } from "../session.js";
import { CollabPeer } from "../collab/peer.js";
import { CursorSender } from "../collab/cursor_sender.js";
import { createEditor } from "../collab/editor.js";
import { setRemoteCursors } from "../collab/remote_cursors.js";
import { languageLabel } from "./challenges_view.js";
import { participantsFrom, remoteCursorList, renderParticipants, typingText } from "./participants.js";

function skeleton() {
  return h(
    "div",
    { class: "room" },
    h(
      "div",
      { class: "room-head" },
      h("a", { href: "#/", class: "back" }, "← Challenges"),
      h("h1", { id: "challenge-title" }, "…"),
      h("span", { class: "lang-tag", id: "challenge-language" }),
      h("span", { class: "sync-status", id: "sync-status" }),
    ),
    h(
      "div",
      { class: "room-body" },
      h("section", { class: "card prompt" }, h("h2", {}, "Prompt"), h("p", { id: "challenge-prompt", class: "prompt-text" })),
      h(
        "section",
        { class: "editor-column" },
        h("div", { id: "editor", class: "editor" }),
        h("p", { id: "typing-indicator", class: "typing-indicator", "aria-live": "polite" }),
      ),
      h(
        "aside",
        { class: "card people" },
        h("h2", {}, "In the room ", h("span", { class: "count", id: "participant-count" })),
        h("ul", { id: "participants", class: "participants" }),
      ),
    ),
  );
}

export function renderRoom(container, challengeId) {
  const session = loadSession();
  const root = skeleton();
  container.replaceChildren(root);
  const $ = (id) => root.querySelector(`#${id}`);

  const socket = getSocket(session.token);
  const channel = socket.channel(`challenges:${challengeId}`, {});
  const presence = new Presence(channel);
  let view = null;
  let people = [];
  let peer = null;
  let cursors = null;
  let closed = false;

  const setStatus = (text) => ($("sync-status").textContent = text);

  const showChallenge = (challenge) => {
    $("challenge-title").textContent = challenge.title;
    $("challenge-prompt").textContent = challenge.prompt;
    $("challenge-language").textContent = languageLabel(challenge.language);
    document.title = `${challenge.title} · Pair`;
  };

  const pushCursorsToEditor = () => {
    if (view) view.dispatch({ effects: setRemoteCursors.of(remoteCursorList(people, session.user.id)) });
  };

  presence.onSync(() => {
    people = participantsFrom(presence);
    renderParticipants($("participants"), people, session.user.id);
    $("participant-count").textContent = `(${people.length})`;
    $("typing-indicator").textContent = typingText(people, session.user.id);
    pushCursorsToEditor();
  });

  const buildEditor = (challenge) => {
    view?.destroy();
    peer?.destroy();
    cursors?.destroy();
    peer = new CollabPeer(channel, {
      onDesync: (reason) => resync(reason),
      onSynced: () => cursors?.poke(),
    });
    cursors = new CursorSender(channel, peer);
    view = createEditor({
      parent: $("editor"),
      doc: challenge.response,
      version: challenge.version,
      language: challenge.language,
      onUpdate: (update) => {
        if (update.docChanged) peer.schedulePush(0);
        if (update.docChanged || update.selectionSet) cursors.poke();
      },
    });
    peer.attach(view);
    cursors.attach(view);
    // Lets automated checks (and the curious, from the console) read the exact text.
    window.__pairEditor = view;
    pushCursorsToEditor();
  };

  // The editor can no longer follow the server's log (see CollabPeer's onDesync):
  // rebuild it from a fresh snapshot (text and version read together by the server).
  // Edits not yet accepted are lost, which only happens after a server-side reset.
  const resync = async (reason) => {
    console.warn(`pair: resynchronising the editor: ${reason}`);
    setStatus("Resynchronising…");
    try {
      const { challenge } = await api("GET", `/api/challenges/${challengeId}`);
      if (closed) return;
      buildEditor(challenge);
      if (channel.state === "joined") {
        peer.joined(challenge);
        peer.pull();
      }
      setStatus("");
    } catch {
      if (!closed) setTimeout(() => resync(reason), 1000);
    }
  };

  channel
    .join()
    .receive("ok", (reply) => {
      const challenge = reply?.challenge;
      if (!challenge) return;
      showChallenge(challenge);
      setStatus("");
      // First join: build the editor at the reply's version. A rejoin after a reconnect:
      // the peer pulls what it missed and pushes what was typed while offline.
      if (!view) buildEditor(challenge);
      peer.joined(challenge);
      cursors.poke(true);
    })
    .receive("error", (reply) => {
      if (reply?.reason === "not_found") {
        channel.leave();
        container.replaceChildren(
          h("div", { class: "card notice" }, h("h1", {}, "No such challenge"), h("p", {}, h("a", { href: "#/" }, "Back to the list"))),
        );
      } else {
        setStatus(`Cannot join: ${reply?.reason ?? "error"}`);
      }
    });
  channel.onError(() => {
    peer?.left();
    setStatus("Reconnecting…");
  });

  const unsubscribe = onConnectionChange((online) => {
    if (!online) setStatus("Offline");
  });

  return () => {
    closed = true;
    unsubscribe();
    cursors?.destroy();
    peer?.destroy();
    view?.destroy();
    if (window.__pairEditor === view) window.__pairEditor = null;
    channel.leave();
  };
}
