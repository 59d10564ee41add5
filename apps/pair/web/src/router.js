// Role: hash-based routing (#/login, #/signup, #/, #/challenges/<id>): maps the
// location hash to a route and calls the app's render function on every change.
// Hash routing needs no server rewrite rule: every page is index.html. Main thread.
export function parseRoute(hash) {
  const path = (hash || "#/").replace(/^#/, "") || "/";
  if (path === "/login") return { name: "login" };
  if (path === "/signup") return { name: "signup" };
  const m = /^\/challenges\/(\d+)$/.exec(path);
  if (m) return { name: "room", id: Number(m[1]) };
  return { name: "challenges" };
}

export function navigate(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
}

export function startRouter(render) {
  window.addEventListener("hashchange", () => render(parseRoute(location.hash)));
  render(parseRoute(location.hash));
}
