// Role: the signed-in user: the JWT and the user record, kept in localStorage so a
// reload (or a server restart) does not sign anyone out. Main thread only.
const KEY = "pair.session";

export function loadSession() {
  try {
    const s = JSON.parse(localStorage.getItem(KEY) ?? "null");
    return s && typeof s.token === "string" && s.user ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(token, user) {
  localStorage.setItem(KEY, JSON.stringify({ token, user }));
}

export function clearSession() {
  localStorage.removeItem(KEY);
}
