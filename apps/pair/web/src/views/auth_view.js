// Role: the sign-up and log-in pages. On success the token and user are saved and the
// page goes to the challenge list; the server's field errors (422), a taken e-mail
// (409) and wrong credentials (401) are shown beside the form. Main thread.
import { api, ApiError } from "../api.js";
import { h } from "../dom.js";
import { navigate } from "../router.js";
import { saveSession } from "../session.js";

function field(label, name, type, attrs = {}) {
  return h(
    "label",
    { class: "field" },
    h("span", { class: "field-label" }, label),
    h("input", { name, type, required: true, ...attrs }),
    h("span", { class: "field-error", "data-error-for": name }),
  );
}

function showErrors(form, err) {
  form.querySelectorAll("[data-error-for]").forEach((el) => (el.textContent = ""));
  const general = form.querySelector(".form-error");
  general.textContent = "";
  const errors = err instanceof ApiError ? err.body?.errors : null;
  if (errors && typeof errors === "object") {
    for (const [name, message] of Object.entries(errors)) {
      const slot = form.querySelector(`[data-error-for="${name}"]`);
      const text = Array.isArray(message) ? message.join(", ") : String(message);
      if (slot) slot.textContent = text;
      else general.textContent = `${name} ${text}`;
    }
    return;
  }
  if (err instanceof ApiError && err.body?.error === "email_taken") {
    form.querySelector('[data-error-for="email"]').textContent = "is already registered — log in instead";
    return;
  }
  if (err instanceof ApiError && err.status === 401) {
    general.textContent = "Email or password is not right.";
    return;
  }
  general.textContent = err.message || "Something went wrong.";
}

function authForm({ mode, title, submitLabel, fields, altText, altHref, altLabel, submit }) {
  const form = h(
    "form",
    { class: "card auth-card", id: `${mode}-form`, novalidate: true },
    h("h1", {}, title),
    fields,
    h("p", { class: "form-error", role: "alert" }),
    h("button", { type: "submit", class: "primary" }, submitLabel),
    h("p", { class: "muted" }, altText, " ", h("a", { href: altHref }, altLabel)),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const data = Object.fromEntries(new FormData(form).entries());
      const { token, user } = await submit(data);
      saveSession(token, user);
      navigate("#/");
    } catch (err) {
      showErrors(form, err);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export function renderSignUp(container) {
  container.replaceChildren(
    authForm({
      mode: "signup",
      title: "Create your account",
      submitLabel: "Sign up",
      fields: [
        field("First name", "first_name", "text", { autocomplete: "given-name", maxlength: 100 }),
        field("Email", "email", "email", { autocomplete: "email" }),
        field("Password", "password", "password", { autocomplete: "new-password", minlength: 8 }),
      ],
      altText: "Already have an account?",
      altHref: "#/login",
      altLabel: "Log in",
      submit: (data) => api("POST", "/api/users", data),
    }),
  );
  container.querySelector("input")?.focus();
}

export function renderLogIn(container) {
  container.replaceChildren(
    authForm({
      mode: "login",
      title: "Welcome back",
      submitLabel: "Log in",
      fields: [
        field("Email", "email", "email", { autocomplete: "email" }),
        field("Password", "password", "password", { autocomplete: "current-password" }),
      ],
      altText: "New to Pair?",
      altHref: "#/signup",
      altLabel: "Create an account",
      submit: (data) => api("POST", "/api/sessions", data),
    }),
  );
  container.querySelector("input")?.focus();
}
