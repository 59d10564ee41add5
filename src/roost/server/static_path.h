// Role: the pure rules of static-file serving: which file a request path names (or
// none, when the path is malformed or tries to leave the served directory), the
// Content-Type for a file name, and how long a browser may cache it.
// Thread affinity: none (pure functions, no I/O). Ownership: returns values.
// Kept apart from StaticFiles so the path-traversal rules are tested without a disk.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace roost::server {

// Maps the path of a request URL (already split from its query, still percent-encoded,
// e.g. "/assets/app-3F7A2B9C.js") to a relative file path inside the served directory
// ("assets/app-3F7A2B9C.js"). A path ending in '/' names that directory's index.html.
// Refused (nullopt): anything not starting with '/', malformed percent-encoding, a NUL
// or backslash, a "." or ".." segment, an empty segment ("//"), and dot-files (".env",
// ".git/...": a directory built for the web has none, and serving them leaks secrets).
std::optional<std::string> resolve_static_path(std::string_view url_path);

// "text/html; charset=utf-8" for "index.html", ... ; "application/octet-stream" for an
// unknown extension (with nosniff set by StaticFiles, the browser will not guess).
std::string_view content_type_for(std::string_view file_name);

// True for a bundler's content-hashed name ("app-3F7A2B9C.js", "chunk-QX4M2ZPA.css"):
// the last '-' part of the stem is 8 or more upper-case letters and digits (esbuild's
// `[name]-[hash]`). Such a file never changes under its name, so it may be cached for
// a year; everything else (index.html) must be revalidated so a deploy shows at once.
bool is_hashed_asset(std::string_view file_name);

// The Cache-Control value for a file name, following is_hashed_asset.
std::string_view cache_control_for(std::string_view file_name);

}  // namespace roost::server
