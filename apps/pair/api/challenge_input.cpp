// Role: challenge field parsing and validation for the API (see challenge_input.h).
// Thread affinity: none. Ownership: returns values.
#include "api/challenge_input.h"

#include <algorithm>
#include <charconv>

#include "collab/document_service.h"
#include "collab/utf16.h"

namespace pair::api {
namespace {

namespace json = boost::json;

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// The field as a string: nullopt if absent (or null); a "must be a string" error if another type.
std::optional<std::string> string_field(const json::object& body, std::string_view key, FieldErrors& errors) {
  const json::value* v = body.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    errors[std::string(key)] = "must be a string";
    return std::nullopt;
  }
  return std::string(v->get_string());
}

void check_title(const std::string& title, FieldErrors& errors) {
  if (blank(title)) errors["title"] = "can't be blank";
  else if (auth::utf8_length(title) > kMaxTitleChars) errors["title"] = "must be at most 200 characters";
}

void check_prompt(const std::string& prompt, FieldErrors& errors) {
  if (blank(prompt)) errors["prompt"] = "can't be blank";
  else if (prompt.size() > kMaxPromptBytes) errors["prompt"] = "must be at most 64 KiB";
}

void check_language(const std::string& language, FieldErrors& errors) {
  bool ok = !language.empty() && language.size() <= kMaxLanguageChars &&
            std::all_of(language.begin(), language.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '#' || c == '.' || c == '_' ||
                     c == '-';
            });
  if (!ok) errors["language"] = "must be 1-32 characters of a-z, 0-9, + # . _ -";
}

void check_response(std::string& response, FieldErrors& errors) {
  response = collab::normalize_line_breaks(response);
  if (response.size() > collab::kMaxDocumentBytes) errors["response"] = "must be at most 256 KiB";
  else if (!collab::utf16_length(response)) errors["response"] = "is not valid text";
}

// Text a store can hold (see store/store_text.h): JSON may carry \u0000.
void check_no_nul(const std::optional<std::string>& value, std::string_view key, FieldErrors& errors) {
  if (value && value->find('\0') != std::string::npos && !errors.contains(std::string(key)))
    errors[std::string(key)] = "must not contain NUL characters";
}

}  // namespace

std::variant<NewChallenge, FieldErrors> parse_new_challenge(const json::object& body) {
  FieldErrors errors;
  auto title = string_field(body, "title", errors);
  auto prompt = string_field(body, "prompt", errors);
  auto language = string_field(body, "language", errors);
  auto response = string_field(body, "response", errors);
  if (!title && !errors.contains("title")) errors["title"] = "can't be blank";
  if (!prompt && !errors.contains("prompt")) errors["prompt"] = "can't be blank";
  if (title) check_title(*title, errors);
  if (prompt) check_prompt(*prompt, errors);
  if (language) check_language(*language, errors);
  if (response) check_response(*response, errors);
  check_no_nul(title, "title", errors);
  check_no_nul(prompt, "prompt", errors);
  if (!errors.empty()) return errors;
  return NewChallenge{std::move(*title), std::move(*prompt), language ? std::move(*language) : std::string(kDefaultLanguage),
                      response ? std::move(*response) : std::string()};
}

std::variant<ChallengePatch, FieldErrors> parse_challenge_patch(const json::object& body) {
  FieldErrors errors;
  ChallengePatch patch;
  patch.edit.title = string_field(body, "title", errors);
  patch.edit.prompt = string_field(body, "prompt", errors);
  patch.edit.language = string_field(body, "language", errors);
  patch.response = string_field(body, "response", errors);
  if (patch.edit.title) check_title(*patch.edit.title, errors);
  if (patch.edit.prompt) check_prompt(*patch.edit.prompt, errors);
  if (patch.edit.language) check_language(*patch.edit.language, errors);
  if (patch.response) check_response(*patch.response, errors);
  check_no_nul(patch.edit.title, "title", errors);
  check_no_nul(patch.edit.prompt, "prompt", errors);
  if (!errors.empty()) return errors;
  return patch;
}

std::optional<std::int64_t> challenge_id_from_path(std::string_view path, std::string_view prefix) {
  if (!path.starts_with(prefix)) return std::nullopt;
  std::string_view rest = path.substr(prefix.size());
  // Digits only (no sign, no leading zero): one spelling per id. 18 digits fit int64.
  if (rest.empty() || rest.size() > 18 || rest.front() == '0') return std::nullopt;
  if (!std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), id);
  if (ec != std::errc{} || end != rest.data() + rest.size()) return std::nullopt;
  return id;
}

}  // namespace pair::api
