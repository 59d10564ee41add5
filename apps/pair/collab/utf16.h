// Role: UTF-16 code-unit arithmetic over UTF-8 text. CodeMirror counts every length and
// position in JavaScript string units (UTF-16): a character outside the BMP (most emoji)
// is 2 units, everything else 1, a line break 1. Pair stores documents as UTF-8, so
// these functions walk UTF-8 and count units, refusing any position that would fall
// between the two halves of a surrogate pair (inside one 4-byte UTF-8 sequence).
// Everything here validates strictly (RFC 3629: no overlong forms, no encoded
// surrogates, nothing above U+10FFFF) and never reads outside the view, so it is safe on
// hostile input. Pure functions.
// Thread affinity: none. Ownership: borrows its arguments.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "roost/core/result.h"

namespace pair::collab {

// The length of `text` in UTF-16 units; CollabErrc::invalid_text when it is not valid
// UTF-8 or contains NUL (PostgreSQL text cannot hold NUL, so neither backend stores it).
roost::Result<std::size_t> utf16_length(std::string_view text);

// The byte offset reached by moving `units` UTF-16 units forward from byte offset `from`
// (which must be a character boundary). Errors: length_mismatch when the text ends
// first, splits_character when the count ends inside a surrogate pair, invalid_text on
// bad UTF-8 or NUL.
roost::Result<std::size_t> skip_units(std::string_view text, std::size_t from, std::size_t units);

// CodeMirror splits text into lines on "\r\n", "\r" and "\n" and joins them with "\n";
// a stored document must use "\n" only, or its length differs from every client's.
std::string normalize_line_breaks(std::string_view text);

}  // namespace pair::collab
