// Role: sign-up validation (see validation.h).
// Thread affinity: none. Ownership: returns values.
#include "auth/validation.h"

#include <algorithm>

namespace pair::auth {

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool email_shape_ok(std::string_view email) {
  // Deliberately loose (the only real check is a mail that arrives): one '@', something
  // before it, a dot inside the domain, no spaces or control characters.
  if (email.empty() || email.size() > kMaxEmailBytes) return false;
  if (std::any_of(email.begin(), email.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F; }))
    return false;
  std::size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view domain = email.substr(at + 1);
  std::size_t dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && domain.back() != '.' && domain.find("..") == std::string_view::npos;
}

FieldErrors validate_signup(std::string_view first_name, std::string_view email, std::string_view password) {
  FieldErrors errors;
  std::size_t name_chars = utf8_length(first_name);
  bool blank = std::all_of(first_name.begin(), first_name.end(), [](char c) { return c == ' ' || c == '\t'; });
  if (name_chars == 0 || blank) errors["first_name"] = "can't be blank";
  else if (name_chars > kMaxFirstNameChars) errors["first_name"] = "must be at most 100 characters";
  if (!email_shape_ok(email)) errors["email"] = "must look like name@example.com";
  std::size_t password_chars = utf8_length(password);
  if (password_chars < kMinPasswordChars) errors["password"] = "must be at least 8 characters";
  else if (password_chars > kMaxPasswordChars) errors["password"] = "must be at most 1024 characters";
  return errors;
}

}  // namespace pair::auth
