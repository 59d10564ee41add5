// Role: the pure rules of static-file serving (see static_path.h).
// Thread affinity: none. Ownership: returns values.
#include "roost/server/static_path.h"

#include <array>
#include <boost/url/pct_string_view.hpp>
#include <cctype>
#include <utility>

namespace roost::server {

namespace {

// Decodes one path segment. Splitting happens before decoding, so an encoded "%2F"
// cannot smuggle a separator (or "%2E%2E" a parent step) past the segment checks.
std::optional<std::string> decode_segment(std::string_view raw) {
  auto pct = boost::urls::make_pct_string_view(raw);
  if (!pct) return std::nullopt;
  std::string segment = pct->decode();
  if (segment.empty() || segment.front() == '.') return std::nullopt;  // "", ".", "..", dot-files
  for (char c : segment)
    if (c == '/' || c == '\\' || c == '\0') return std::nullopt;
  return segment;
}

std::string_view extension_of(std::string_view file_name) {
  auto slash = file_name.rfind('/');
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  auto dot = file_name.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : file_name.substr(dot + 1);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// The types a built web front end consists of; text types carry their charset so a
// browser never guesses one.
constexpr std::array<std::pair<std::string_view, std::string_view>, 19> kTypes{{
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"txt", "text/plain; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"wasm", "application/wasm"},
    {"webmanifest", "application/manifest+json"},
}};

}  // namespace

std::optional<std::string> resolve_static_path(std::string_view url_path) {
  if (url_path.empty() || url_path.front() != '/') return std::nullopt;
  std::string_view rest = url_path.substr(1);
  std::string relative;
  while (!rest.empty()) {
    auto slash = rest.find('/');
    std::string_view raw = rest.substr(0, slash);
    auto segment = decode_segment(raw);
    if (!segment) return std::nullopt;
    if (!relative.empty()) relative += '/';
    relative += *segment;
    if (slash == std::string_view::npos) return relative;
    rest.remove_prefix(slash + 1);
  }
  // The path ended with '/' (or was just "/"): that directory's index page.
  if (!relative.empty()) relative += '/';
  relative += "index.html";
  return relative;
}

std::string_view content_type_for(std::string_view file_name) {
  std::string_view ext = extension_of(file_name);
  for (const auto& [e, type] : kTypes)
    if (iequals(e, ext)) return type;
  return "application/octet-stream";
}

bool is_hashed_asset(std::string_view file_name) {
  auto slash = file_name.rfind('/');
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  auto dot = file_name.find('.');
  std::string_view stem = file_name.substr(0, dot);
  auto dash = stem.rfind('-');
  if (dash == std::string_view::npos) return false;
  std::string_view hash = stem.substr(dash + 1);
  if (hash.size() < 8) return false;
  for (char c : hash)
    if (!(std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)))) return false;
  return true;
}

std::string_view cache_control_for(std::string_view file_name) {
  // A year and immutable: the name changes whenever the content does. no-cache (not
  // no-store) still lets the browser keep a copy, revalidated by ETag on each use.
  return is_hashed_asset(file_name) ? "public, max-age=31536000, immutable" : "no-cache";
}

}  // namespace roost::server
