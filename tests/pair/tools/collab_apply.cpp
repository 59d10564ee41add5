// pair_collab_apply: runs Pair's ChangeSet decoder and apply_changes() on cases read
// from stdin, so the Node tests can compare them with @codemirror/state's own on the
// same inputs (tests/pair/collab_apply.test.mjs). One JSON object per line:
//   in:  {"doc": "<text>", "changes": <ChangeSet JSON, any value>}
//   out: {"ok": true, "doc": "<new text>", "changes": <the set re-encoded>}
//        {"ok": false, "error": "malformed" | "length_mismatch" | "splits_character" | ...}
// A test tool only: it is built with the tests and never installed.
#include <boost/json.hpp>
#include <iostream>
#include <string>

#include "collab/apply_changes.h"
#include "collab/change_set.h"
#include "collab/collab_errors.h"

namespace {

namespace json = boost::json;
using pair::collab::CollabErrc;

const char* error_name(std::error_code ec) {
  switch (static_cast<CollabErrc>(ec.value())) {
    case CollabErrc::malformed: return "malformed";
    case CollabErrc::length_mismatch: return "length_mismatch";
    case CollabErrc::splits_character: return "splits_character";
    case CollabErrc::invalid_text: return "invalid_text";
    case CollabErrc::too_large: return "too_large";
    case CollabErrc::stale: return "stale";
    case CollabErrc::desync: return "desync";
  }
  return "unknown";
}

json::object run(const json::value& input) {
  const json::object* obj = input.if_object();
  const json::value* doc = obj ? obj->if_contains("doc") : nullptr;
  const json::value* changes = obj ? obj->if_contains("changes") : nullptr;
  if (!doc || !doc->is_string() || !changes) return {{"ok", false}, {"error", "bad test case"}};
  auto set = pair::collab::decode_change_set(*changes);
  if (!set) return {{"ok", false}, {"error", error_name(set.error())}};
  auto out = pair::collab::apply_changes(doc->get_string(), *set);
  if (!out) return {{"ok", false}, {"error", error_name(out.error())}};
  return {{"ok", true}, {"doc", *out}, {"changes", set->to_json()}};
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    boost::system::error_code ec;
    json::value input = json::parse(line, ec);
    json::object result = ec ? json::object{{"ok", false}, {"error", "malformed"}} : run(input);
    std::cout << json::serialize(result) << '\n';
  }
  return 0;
}
