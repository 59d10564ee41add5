// Role: reading and checking the challenge fields a client sends to the API:
//   POST  {title, prompt, language?, response?}
//   PATCH {title?, prompt?, language?, response?}
// title: 1–200 characters, not blank; prompt: not blank, at most 64 KiB; language: 1–32
// of [a-z0-9+#._-] (default "plaintext"); response: a string of at most 256 KiB
// (collab::kMaxDocumentBytes), with line breaks normalised to "\n" as CodeMirror does,
// so the stored document's length matches every editor's. Every problem is reported at
// once, per field.
// Thread affinity: none (pure functions). Ownership: returns values.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <variant>

#include "auth/validation.h"
#include "store/store.h"

namespace pair::api {

using FieldErrors = auth::FieldErrors;

inline constexpr std::size_t kMaxTitleChars = 200;
inline constexpr std::size_t kMaxPromptBytes = 64 * 1024;
inline constexpr std::size_t kMaxLanguageChars = 32;
inline constexpr std::string_view kDefaultLanguage = "plaintext";

struct NewChallenge {
  std::string title;
  std::string prompt;
  std::string language;
  std::string response;
};

struct ChallengePatch {
  store::ChallengeEdit edit;
  std::optional<std::string> response;  // goes through collaborative editing, not edit
  bool edits_fields() const noexcept { return edit.title || edit.prompt || edit.language; }
};

std::variant<NewChallenge, FieldErrors> parse_new_challenge(const boost::json::object& body);
std::variant<ChallengePatch, FieldErrors> parse_challenge_patch(const boost::json::object& body);

// "/api/challenges/42" → 42; nullopt unless the rest of the path is a positive decimal id.
std::optional<std::int64_t> challenge_id_from_path(std::string_view path, std::string_view prefix);

}  // namespace pair::api
