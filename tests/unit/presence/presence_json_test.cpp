// The wire shapes of Presence (presence.md §3): grouped presence maps for presence_state
// and for both sides of presence_diff, the refs the tracker adds to each meta, and the
// fetch hook. Outputs are parsed and compared as JSON, with key order checked where the
// order is part of the contract (keys in first-seen order, metas in entry order).
#include "roost/presence/presence_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "roost/presence/meta.h"

namespace roost::presence {
namespace {

namespace json = boost::json;

Entry entry(std::string key, std::string fields, std::string ref, std::string prev = {}, std::uint64_t owner = 1) {
  Entry e;
  e.topic = "presence:t";
  e.owner = Owner{"n", owner};
  e.key = std::move(key);
  e.meta.fields = std::move(fields);
  e.meta.phx_ref = std::move(ref);
  e.meta.phx_ref_prev = std::move(prev);
  e.tag = Dot{ReplicaName{"n", 1}, 1};
  return e;
}

json::value parse(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  EXPECT_FALSE(ec) << "not JSON: " << text;
  return v;
}

std::vector<std::string> keys_of(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& kv : v.as_object()) out.emplace_back(kv.key());
  return out;
}

std::vector<std::string> meta_refs(const json::value& grouped, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& m : grouped.at(key).at("metas").as_array()) out.emplace_back(m.at("phx_ref").as_string());
  return out;
}

using Strings = std::vector<std::string>;

// Adds "user": {"key": <key>} to every key, like the fixture's hook, and records calls.
struct RecordingHook {
  std::vector<std::string> topics;
  std::vector<json::object> inputs;
  FetchHook hook() {
    return [this](std::string_view topic, json::object& presences) {
      topics.emplace_back(topic);
      inputs.push_back(presences);
      for (auto& [key, entry] : presences) entry.as_object()["user"] = json::object{{"key", key}};
    };
  }
};

// ---------------------------------------------------------------------------
// Meta: the refs the tracker adds
// ---------------------------------------------------------------------------

TEST(MetaJson, AddsPhxRefToTheApplicationFields) {
  Meta m{"{\"name\":\"ann\"}", "R1", ""};
  EXPECT_EQ(parse(to_json(m)), parse(R"({"name":"ann","phx_ref":"R1"})"));
}

TEST(MetaJson, AddsPhxRefPrevOnlyWhenSet) {
  Meta m{"{\"name\":\"ann\",\"away\":true}", "R3", "R2"};
  EXPECT_EQ(parse(to_json(m)), parse(R"({"name":"ann","away":true,"phx_ref":"R3","phx_ref_prev":"R2"})"));
  Meta plain{"{\"name\":\"ann\"}", "R3", ""};
  EXPECT_FALSE(parse(to_json(plain)).as_object().contains("phx_ref_prev"));
}

TEST(MetaJson, EmptyObjectAndWhitespace) {
  EXPECT_EQ(parse(to_json(Meta{"{}", "R", ""})), parse(R"({"phx_ref":"R"})"));
  EXPECT_EQ(parse(to_json(Meta{"  { \n }  ", "R", ""})), parse(R"({"phx_ref":"R"})"));
  EXPECT_EQ(parse(to_json(Meta{" {\"a\":1} \n", "R", "P"})), parse(R"({"a":1,"phx_ref":"R","phx_ref_prev":"P"})"));
}

TEST(MetaJson, NonObjectFieldsBecomeAnObjectWithOnlyTheRefs) {
  EXPECT_EQ(parse(to_json(Meta{"[1,2]", "R", ""})), parse(R"({"phx_ref":"R"})"));
  EXPECT_EQ(parse(to_json(Meta{"", "R", ""})), parse(R"({"phx_ref":"R"})"));
  EXPECT_EQ(parse(to_json(Meta{"42", "R", "P"})), parse(R"({"phx_ref":"R","phx_ref_prev":"P"})"));
}

TEST(MetaJson, ApplicationSuppliedRefsCannotShadowTheTrackers) {
  Meta m{R"({"phx_ref":"fake","phx_ref_prev":"fake2","x":1})", "R9", "R8"};
  json::value v = parse(to_json(m));  // a JSON reader keeps the last duplicate
  EXPECT_EQ(v.at("phx_ref"), "R9");
  EXPECT_EQ(v.at("phx_ref_prev"), "R8");
  EXPECT_EQ(v.at("x"), 1);
}

TEST(MetaJson, RefsNeedingEscapingAreEscaped) {
  Meta m{"{}", "a\"b\\c\n", ""};
  EXPECT_EQ(parse(to_json(m)).at("phx_ref"), "a\"b\\c\n");
}

// ---------------------------------------------------------------------------
// grouped_json
// ---------------------------------------------------------------------------

TEST(GroupedJson, EmptyIsAnEmptyObject) {
  std::vector<Entry> none;
  EXPECT_EQ(grouped_json("presence:t", std::span<const Entry>(none), nullptr), "{}");
  std::vector<const Entry*> no_ptrs;
  EXPECT_EQ(grouped_json("presence:t", std::span<const Entry* const>(no_ptrs), nullptr), "{}");
}

TEST(GroupedJson, ExactShapeOfOneEntry) {
  std::vector<Entry> es{entry("ann", R"({"name":"ann"})", "R1")};
  EXPECT_EQ(parse(grouped_json("presence:t", std::span<const Entry>(es), nullptr)),
            parse(R"({"ann":{"metas":[{"name":"ann","phx_ref":"R1"}]}})"));
}

TEST(GroupedJson, GroupsByKeyInFirstSeenOrderWithMetasInEntryOrder) {
  std::vector<Entry> es{
      entry("zed", R"({"d":1})", "Z1", "", 1),  //
      entry("ann", R"({"d":2})", "A1", "", 2),  //
      entry("zed", R"({"d":3})", "Z2", "", 3),  //
      entry("bob", R"({"d":4})", "B1", "", 4),  //
      entry("ann", R"({"d":5})", "A2", "P", 5),
  };
  json::value v = parse(grouped_json("presence:t", std::span<const Entry>(es), nullptr));
  EXPECT_EQ(keys_of(v), (Strings{"zed", "ann", "bob"}));
  EXPECT_EQ(meta_refs(v, "zed"), (Strings{"Z1", "Z2"}));
  EXPECT_EQ(meta_refs(v, "ann"), (Strings{"A1", "A2"}));
  EXPECT_EQ(meta_refs(v, "bob"), (Strings{"B1"}));
  EXPECT_EQ(v, parse(R"({
    "zed":{"metas":[{"d":1,"phx_ref":"Z1"},{"d":3,"phx_ref":"Z2"}]},
    "ann":{"metas":[{"d":2,"phx_ref":"A1"},{"d":5,"phx_ref":"A2","phx_ref_prev":"P"}]},
    "bob":{"metas":[{"d":4,"phx_ref":"B1"}]}})"));
  // each key's object holds only "metas" without a hook
  for (const auto& kv : v.as_object()) EXPECT_EQ(kv.value().as_object().size(), 1u) << kv.key();
}

TEST(GroupedJson, PointerOverloadMatchesTheValueOverload) {
  std::vector<Entry> es{entry("b", R"({"x":1})", "1"), entry("a", R"({"x":2})", "2"), entry("b", R"({"x":3})", "3", "0")};
  std::vector<const Entry*> ptrs{&es[0], &es[1], &es[2]};
  EXPECT_EQ(grouped_json("presence:t", std::span<const Entry* const>(ptrs), nullptr),
            grouped_json("presence:t", std::span<const Entry>(es), nullptr));
  // Order follows the pointers, not the storage.
  std::vector<const Entry*> reversed{&es[2], &es[1], &es[0]};
  json::value v = parse(grouped_json("presence:t", std::span<const Entry* const>(reversed), nullptr));
  EXPECT_EQ(keys_of(v), (Strings{"b", "a"}));
  EXPECT_EQ(meta_refs(v, "b"), (Strings{"3", "1"}));
}

TEST(GroupedJson, KeysNeedingJsonEscaping) {
  const Strings keys{"quote\"d", "back\\slash", "new\nline", "tab\there", std::string("nul\0x", 5), "\x01\x1f",
                     "é日本😀", "", "</script>", "__proto__"};
  std::vector<Entry> es;
  for (std::size_t i = 0; i < keys.size(); ++i) es.push_back(entry(keys[i], "{}", "R" + std::to_string(i)));
  for (const FetchHook& hook : {FetchHook{}, FetchHook{[](std::string_view, json::object&) {}}}) {
    const std::string text = grouped_json("presence:t", std::span<const Entry>(es), hook);
    json::value v = parse(text);
    ASSERT_TRUE(v.is_object()) << text;
    EXPECT_EQ(keys_of(v), keys) << text;
    for (std::size_t i = 0; i < keys.size(); ++i)
      EXPECT_EQ(meta_refs(v, keys[i]), (Strings{"R" + std::to_string(i)})) << "key #" << i;
  }
}

TEST(GroupedJson, IdentityHookGivesTheSameValueAsNoHook) {
  std::vector<Entry> es{entry("b", R"({"n":[1,{"z":null}],"s":"x\"y"})", "1"), entry("a", R"({"k":false})", "2", "1"),
                        entry("b", "{}", "3")};
  FetchHook identity = [](std::string_view, json::object&) {};
  json::value direct = parse(grouped_json("presence:t", std::span<const Entry>(es), nullptr));
  json::value via_dom = parse(grouped_json("presence:t", std::span<const Entry>(es), identity));
  EXPECT_EQ(direct, via_dom);
  EXPECT_EQ(keys_of(direct), keys_of(via_dom));
  EXPECT_EQ(meta_refs(via_dom, "b"), (Strings{"1", "3"}));
}

TEST(GroupedJson, HookWithApplicationSuppliedRefKeepsTheTrackersRef) {
  std::vector<Entry> es{entry("a", R"({"phx_ref":"fake"})", "REAL")};
  FetchHook identity = [](std::string_view, json::object&) {};
  EXPECT_EQ(meta_refs(parse(grouped_json("presence:t", std::span<const Entry>(es), identity)), "a"), (Strings{"REAL"}));
  EXPECT_EQ(meta_refs(parse(grouped_json("presence:t", std::span<const Entry>(es), nullptr)), "a"), (Strings{"REAL"}));
}

TEST(GroupedJson, FetchHookSeesTheGroupedMapAndDecoratesIt) {
  RecordingHook rec;
  std::vector<Entry> es{entry("bob", R"({"name":"bob"})", "B1"), entry("ann", R"({"name":"ann"})", "A1"),
                        entry("bob", R"({"name":"bob"})", "B2", "B0")};
  json::value v = parse(grouped_json("presence:fetch:x", std::span<const Entry>(es), rec.hook()));
  ASSERT_EQ(rec.topics, (Strings{"presence:fetch:x"}));
  EXPECT_EQ(json::value(rec.inputs[0]), parse(R"({
    "bob":{"metas":[{"name":"bob","phx_ref":"B1"},{"name":"bob","phx_ref":"B2","phx_ref_prev":"B0"}]},
    "ann":{"metas":[{"name":"ann","phx_ref":"A1"}]}})"));
  EXPECT_EQ(keys_of(json::value(rec.inputs[0])), (Strings{"bob", "ann"}));
  EXPECT_EQ(v, parse(R"({
    "bob":{"metas":[{"name":"bob","phx_ref":"B1"},{"name":"bob","phx_ref":"B2","phx_ref_prev":"B0"}],"user":{"key":"bob"}},
    "ann":{"metas":[{"name":"ann","phx_ref":"A1"}],"user":{"key":"ann"}}})"));
  EXPECT_EQ(keys_of(v), (Strings{"bob", "ann"}));
}

TEST(GroupedJson, FetchHookRunsOncePerCallAlsoWhenEmpty) {
  RecordingHook rec;
  std::vector<Entry> none;
  EXPECT_EQ(parse(grouped_json("presence:t", std::span<const Entry>(none), rec.hook())), parse("{}"));
  EXPECT_EQ(rec.topics.size(), 1u);
}

TEST(GroupedJson, FetchHookCanReplaceValues) {
  // What the hook leaves in the map is what goes out.
  FetchHook hook = [](std::string_view, json::object& p) {
    for (auto& [key, entry] : p) entry.as_object()["count"] = entry.as_object()["metas"].as_array().size();
  };
  std::vector<Entry> es{entry("a", "{}", "1"), entry("a", "{}", "2")};
  EXPECT_EQ(parse(grouped_json("presence:t", std::span<const Entry>(es), hook)),
            parse(R"({"a":{"metas":[{"phx_ref":"1"},{"phx_ref":"2"}],"count":2}})"));
}

// ---------------------------------------------------------------------------
// diff_json
// ---------------------------------------------------------------------------

TEST(DiffJson, BothSidesAlwaysPresent) {
  std::vector<Entry> none;
  std::vector<Entry> one{entry("ann", R"({"name":"ann"})", "R1")};
  EXPECT_EQ(parse(diff_json("presence:t", none, none, nullptr)), parse(R"({"joins":{},"leaves":{}})"));
  EXPECT_EQ(parse(diff_json("presence:t", one, none, nullptr)),
            parse(R"({"joins":{"ann":{"metas":[{"name":"ann","phx_ref":"R1"}]}},"leaves":{}})"));
  EXPECT_EQ(parse(diff_json("presence:t", none, one, nullptr)),
            parse(R"({"joins":{},"leaves":{"ann":{"metas":[{"name":"ann","phx_ref":"R1"}]}}})"));
  json::value v = parse(diff_json("presence:t", one, one, nullptr));
  EXPECT_EQ(v.as_object().size(), 2u);
  EXPECT_TRUE(v.as_object().contains("joins"));
  EXPECT_TRUE(v.as_object().contains("leaves"));
}

TEST(DiffJson, UpdateShape) {
  std::vector<Entry> joins{entry("ann", R"({"name":"ann","away":true})", "R3", "R2")};
  std::vector<Entry> leaves{entry("ann", R"({"name":"ann"})", "R2")};
  EXPECT_EQ(parse(diff_json("presence:t", joins, leaves, nullptr)), parse(R"({
    "joins":{"ann":{"metas":[{"name":"ann","away":true,"phx_ref":"R3","phx_ref_prev":"R2"}]}},
    "leaves":{"ann":{"metas":[{"name":"ann","phx_ref":"R2"}]}}})"));
}

TEST(DiffJson, EachSideGroupedSeparately) {
  std::vector<Entry> joins{entry("b", "{}", "J1"), entry("a", "{}", "J2"), entry("b", "{}", "J3")};
  std::vector<Entry> leaves{entry("c", "{}", "L1"), entry("b", "{}", "L2")};
  json::value v = parse(diff_json("presence:t", joins, leaves, nullptr));
  EXPECT_EQ(keys_of(v.at("joins")), (Strings{"b", "a"}));
  EXPECT_EQ(meta_refs(v.at("joins"), "b"), (Strings{"J1", "J3"}));
  EXPECT_EQ(keys_of(v.at("leaves")), (Strings{"c", "b"}));
  EXPECT_EQ(meta_refs(v.at("leaves"), "b"), (Strings{"L2"}));
}

TEST(DiffJson, FetchHookRunsSeparatelyForJoinsAndLeaves) {
  RecordingHook rec;
  std::vector<Entry> joins{entry("ann", R"({"name":"ann"})", "R3", "R2")};
  std::vector<Entry> leaves{entry("ann", R"({"name":"ann"})", "R2"), entry("bob", R"({"name":"bob"})", "B1")};
  json::value v = parse(diff_json("presence:fetch:x", joins, leaves, rec.hook()));
  ASSERT_EQ(rec.topics, (Strings{"presence:fetch:x", "presence:fetch:x"}));
  EXPECT_EQ(keys_of(json::value(rec.inputs[0])), (Strings{"ann"}));
  EXPECT_EQ(keys_of(json::value(rec.inputs[1])), (Strings{"ann", "bob"}));
  EXPECT_EQ(v, parse(R"({
    "joins":{"ann":{"metas":[{"name":"ann","phx_ref":"R3","phx_ref_prev":"R2"}],"user":{"key":"ann"}}},
    "leaves":{"ann":{"metas":[{"name":"ann","phx_ref":"R2"}],"user":{"key":"ann"}},
              "bob":{"metas":[{"name":"bob","phx_ref":"B1"}],"user":{"key":"bob"}}}})"));
}

TEST(DiffJson, FetchHookRunsForAnEmptySideToo) {
  RecordingHook rec;
  std::vector<Entry> joins{entry("ann", "{}", "R1")};
  std::vector<Entry> none;
  json::value v = parse(diff_json("presence:fetch:x", joins, none, rec.hook()));
  EXPECT_EQ(rec.topics.size(), 2u);
  EXPECT_EQ(v.at("leaves"), parse("{}"));
  EXPECT_EQ(v.at("joins").at("ann").at("user"), parse(R"({"key":"ann"})"));
}

TEST(DiffJson, KeysNeedingEscapingOnBothSides) {
  std::vector<Entry> joins{entry("a\"b", "{}", "1"), entry("c\\d", "{}", "2")};
  std::vector<Entry> leaves{entry("e\nf", "{}", "3"), entry("\x7f\x02", "{}", "4")};
  for (const FetchHook& hook : {FetchHook{}, FetchHook{[](std::string_view, json::object&) {}}}) {
    json::value v = parse(diff_json("presence:t", joins, leaves, hook));
    EXPECT_EQ(keys_of(v.at("joins")), (Strings{"a\"b", "c\\d"}));
    EXPECT_EQ(keys_of(v.at("leaves")), (Strings{"e\nf", "\x7f\x02"}));
  }
}

}  // namespace
}  // namespace roost::presence
