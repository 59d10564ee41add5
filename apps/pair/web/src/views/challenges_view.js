// Role: the list of challenges (newest activity first) with a form to create one; a
// created challenge opens its room. Main thread.
import { api } from "../api.js";
import { h } from "../dom.js";
import { navigate } from "../router.js";

export const LANGUAGES = [
  ["javascript", "JavaScript"],
  ["python", "Python"],
  ["typescript", "TypeScript"],
  ["text", "Plain text"],
];

export function languageLabel(language) {
  return LANGUAGES.find(([id]) => id === language)?.[1] ?? language ?? "";
}

function when(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? "" : new Date(t).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function challengeItem(c) {
  return h(
    "li",
    { class: "challenge-item", "data-challenge-id": c.id },
    h(
      "a",
      { href: `#/challenges/${c.id}` },
      h("span", { class: "challenge-title" }, c.title),
      h("span", { class: "challenge-meta" }, h("span", { class: "lang-tag" }, languageLabel(c.language)), when(c.updated_at)),
    ),
  );
}

function createForm(onError) {
  const form = h(
    "form",
    { class: "card create-card", id: "create-challenge-form" },
    h("h2", {}, "New challenge"),
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Title"), h("input", { name: "title", required: true, maxlength: 200 })),
    h(
      "label",
      { class: "field" },
      h("span", { class: "field-label" }, "Prompt"),
      h("textarea", { name: "prompt", rows: 4, required: true, placeholder: "What should the code do?" }),
    ),
    h(
      "label",
      { class: "field" },
      h("span", { class: "field-label" }, "Language"),
      h("select", { name: "language" }, LANGUAGES.map(([id, label]) => h("option", { value: id }, label))),
    ),
    h("p", { class: "form-error", role: "alert" }),
    h("button", { type: "submit", class: "primary" }, "Create challenge"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form).entries());
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const { challenge } = await api("POST", "/api/challenges", data);
      navigate(`#/challenges/${challenge.id}`);
    } catch (err) {
      const errors = err.body?.errors;
      form.querySelector(".form-error").textContent = errors
        ? Object.entries(errors).map(([k, v]) => `${k} ${v}`).join("; ")
        : err.message;
      onError?.(err);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export async function renderChallenges(container) {
  const list = h("ul", { class: "challenge-list", id: "challenge-list" }, h("li", { class: "muted" }, "Loading…"));
  container.replaceChildren(
    h("div", { class: "challenges-page" }, h("section", { class: "list-section" }, h("h1", {}, "Challenges"), list), createForm()),
  );
  try {
    const { challenges } = await api("GET", "/api/challenges");
    const sorted = [...challenges].sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at) || b.id - a.id);
    list.replaceChildren(
      ...(sorted.length ? sorted.map(challengeItem) : [h("li", { class: "muted" }, "No challenges yet: create the first one.")]),
    );
  } catch (err) {
    list.replaceChildren(h("li", { class: "form-error" }, `Could not load challenges: ${err.message}`));
  }
}
