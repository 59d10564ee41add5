// Unit tests of DocumentService against the real SQLite store (a temp file): pushes at
// the current version are applied, stored and broadcast; stale, desync, invalid and
// oversized pushes change nothing; a whole-text replacement is one update; and two
// services over one database (two nodes) never both win the same version.
#include "collab/document_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <filesystem>
#include <thread>

#include "collab/apply_changes.h"
#include "collab/collab_errors.h"
#include "roost/pubsub/subscriber.h"
#include "support/loop_runner.h"

namespace pair::collab {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("pair-docs-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

struct Recorder : roost::pubsub::Subscriber {
  std::vector<std::pair<std::string, std::string>> seen;  // event, payload
  void deliver(const roost::pubsub::BroadcastPtr& b) override { seen.emplace_back(b->event(), b->payload().data); }
};

Update update(std::string client, std::string_view changes) { return Update{std::move(client), parse_change_set(changes).value()}; }

class DocumentServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_store((dir_.path / "pair.sqlite3").string());
    ASSERT_TRUE(opened) << opened.error().message();
    store_ = std::move(*opened);
    auto created = store_->create_challenge("Reverse", "Reverse a string", "javascript", "a\xF0\x9F\x98\x80" "b");
    ASSERT_TRUE(created);
    id_ = created->id;
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::int64_t id_ = 0;
  roost::net::WorkerPool workers_{2};
};

TEST_F(DocumentServiceTest, APushAtTheCurrentVersionIsStoredThenBroadcast) {
  roost::testing::LoopRunner runner;
  roost::pubsub::PubSub pubsub(runner.group());
  DocumentService docs(*store_, workers_, pubsub);
  Recorder recorder;
  PushResult pushed;
  ASSERT_TRUE(runner.run([&]() -> roost::Task<void> {
    pubsub.subscribe(challenge_topic(id_), &recorder);
    std::vector<Update> updates{update("c1", R"([4,[0,"!"]])"), update("c1", R"([1,[2],2])")};
    pushed = co_await docs.push(id_, 0, std::move(updates));
    co_await roost::testing::settle();
    pubsub.unsubscribe(challenge_topic(id_), &recorder);
  }));
  ASSERT_TRUE(pushed) << pushed.error.message();
  EXPECT_EQ(pushed.version, 2);
  EXPECT_EQ(pushed.challenge.response, "ab!");
  EXPECT_EQ(store_->find_challenge(id_)->response, "ab!");
  auto stored = store_->updates_since(id_, 0).value();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[1].changes_json, R"([1,[2],2])");
  ASSERT_EQ(recorder.seen.size(), 1u);
  EXPECT_EQ(recorder.seen[0].first, "collab:updates");
  EXPECT_EQ(json::parse(recorder.seen[0].second),
            json::parse(R"({"version":0,"updates":[{"clientID":"c1","changes":[4,[0,"!"]]},{"clientID":"c1","changes":[1,[2],2]}]})"));
}

TEST_F(DocumentServiceTest, RefusedPushesChangeNothing) {
  roost::testing::LoopRunner runner;
  roost::pubsub::PubSub pubsub(runner.group());
  DocumentService docs(*store_, workers_, pubsub);
  ASSERT_TRUE(docs.push_blocking(id_, 0, {update("c1", R"([[0,"x"],4])")}));  // now "xa😀b", version 1

  PushResult stale = docs.push_blocking(id_, 0, {update("c2", R"([[0,"y"],4])")});
  EXPECT_EQ(stale.error, CollabErrc::stale);
  EXPECT_EQ(stale.version, 1);
  PushResult ahead = docs.push_blocking(id_, 5, {update("c2", R"([5])")});
  EXPECT_EQ(ahead.error, CollabErrc::desync);
  EXPECT_EQ(ahead.version, 1);
  EXPECT_EQ(docs.push_blocking(id_, 1, {update("c2", R"([4])")}).error, CollabErrc::length_mismatch);
  EXPECT_EQ(docs.push_blocking(id_, 1, {update("c2", R"([3,[0,"z"],2])")}).error, CollabErrc::splits_character);
  // The second update fails: the first must not be stored either.
  EXPECT_EQ(docs.push_blocking(id_, 1, {update("c2", R"([5,[0,"ok"]])"), update("c2", R"([1])")}).error,
            CollabErrc::length_mismatch);
  std::string big(kMaxDocumentBytes, 'x');
  EXPECT_EQ(docs.push_blocking(id_, 1, {update("c2", R"([5,[0,")" + big + R"("]])")}).error, CollabErrc::too_large);
  EXPECT_EQ(docs.push_blocking(999999, 0, {update("c2", R"([1])")}).error, store::StoreErrc::not_found);

  auto now = store_->find_challenge(id_).value();
  EXPECT_EQ(now.version, 1);
  EXPECT_EQ(now.response, "xa\xF0\x9F\x98\x80" "b");
  EXPECT_EQ(store_->updates_since(id_, 0)->size(), 1u);
}

TEST_F(DocumentServiceTest, ReplaceResponseIsOneUpdateWithNormalisedLineBreaks) {
  roost::testing::LoopRunner runner;
  roost::pubsub::PubSub pubsub(runner.group());
  DocumentService docs(*store_, workers_, pubsub);
  Recorder recorder;
  roost::Result<store::Challenge> replaced = make_error_code(CollabErrc::stale);
  ASSERT_TRUE(runner.run([&]() -> roost::Task<void> {
    pubsub.subscribe(challenge_topic(id_), &recorder);
    replaced = co_await docs.replace_response(id_, "line 1\r\nline 2\r\xE6\xBC\xA2", "api:patch");
    co_await roost::testing::settle();
    pubsub.unsubscribe(challenge_topic(id_), &recorder);
  }));
  ASSERT_TRUE(replaced) << replaced.error().message();
  EXPECT_EQ(replaced->response, "line 1\nline 2\n\xE6\xBC\xA2");
  EXPECT_EQ(replaced->version, 1);
  auto stored = store_->updates_since(id_, 0).value();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].client_id, "api:patch");
  EXPECT_EQ(stored[0].changes_json, "[[4,\"line 1\",\"line 2\",\"\xE6\xBC\xA2\"]]");  // a😀b is 4 units
  ASSERT_EQ(recorder.seen.size(), 2u);
  EXPECT_EQ(recorder.seen[0].first, "collab:updates");
  EXPECT_EQ(recorder.seen[1].first, "response:updated");
  EXPECT_EQ(json::parse(recorder.seen[1].second).at("challenge").at("response"), "line 1\nline 2\n\xE6\xBC\xA2");

  EXPECT_EQ(docs.replace_response_blocking(id_, std::string(kMaxDocumentBytes + 1, 'x'), "api").error(),
            CollabErrc::too_large);
  EXPECT_EQ(docs.replace_response_blocking(id_, std::string_view("a\0b", 3), "api").error(), CollabErrc::invalid_text);
  EXPECT_EQ(docs.replace_response_blocking(424242, "x", "api").error(), store::StoreErrc::not_found);
  EXPECT_EQ(store_->find_challenge(id_)->version, 1);
}

TEST_F(DocumentServiceTest, PullReturnsEveryUpdateAfterAVersion) {
  roost::testing::LoopRunner runner;
  roost::pubsub::PubSub pubsub(runner.group());
  DocumentService docs(*store_, workers_, pubsub);
  ASSERT_TRUE(docs.push_blocking(id_, 0, {update("a", R"([[0,"1"],4])")}));
  ASSERT_TRUE(docs.push_blocking(id_, 1, {update("b", R"([[0,"2"],5])")}));
  auto all = docs.pull_blocking(id_, 0).value();
  EXPECT_EQ(all.version, 0);
  ASSERT_EQ(all.updates.size(), 2u);
  EXPECT_EQ(all.updates[1].client_id, "b");
  EXPECT_EQ(docs.pull_blocking(id_, 1)->updates.size(), 1u);
  EXPECT_TRUE(docs.pull_blocking(id_, 2)->updates.empty());
  EXPECT_EQ(docs.pull_blocking(id_, 3).error(), CollabErrc::desync);
}

TEST_F(DocumentServiceTest, APullIsBoundedAndResumable) {
  roost::testing::LoopRunner runner;
  roost::pubsub::PubSub pubsub(runner.group());
  DocumentService docs(*store_, workers_, pubsub);
  std::vector<Update> many;
  for (std::size_t i = 0; i < kMaxPullUpdates + 5; ++i) many.push_back(update("a", "[[0,\"x\"]," + std::to_string(4 + i) + "]"));
  ASSERT_TRUE(docs.push_blocking(id_, 0, many));
  auto first = docs.pull_blocking(id_, 0).value();
  EXPECT_EQ(first.updates.size(), kMaxPullUpdates);
  auto rest = docs.pull_blocking(id_, static_cast<std::int64_t>(kMaxPullUpdates)).value();
  EXPECT_EQ(rest.version, static_cast<std::int64_t>(kMaxPullUpdates));
  EXPECT_EQ(rest.updates.size(), 5u);
}

// Two nodes (two services, one database) pushing concurrently: the store decides, so
// every version is won exactly once and the text is the replay of the winners.
TEST_F(DocumentServiceTest, TwoNodesNeverBothWinAVersion) {
  roost::testing::LoopRunner runner;
  roost::pubsub::PubSub pubsub(runner.group());
  auto second_store = store::open_store((dir_.path / "pair.sqlite3").string());
  ASSERT_TRUE(second_store);
  DocumentService node_a(*store_, workers_, pubsub);
  DocumentService node_b(**second_store, workers_, pubsub);
  std::atomic<int> wins{0}, stale{0};
  auto writer = [&](DocumentService& docs, std::string client) {
    for (int i = 0; i < 40; ++i) {
      auto current = store_->find_challenge(id_).value();
      auto units = current.response.size() - 2;  // ASCII + one emoji (4 bytes, 2 units)
      PushResult r = docs.push_blocking(id_, current.version,
                                        {update(client, "[" + std::to_string(units) + ",[0,\"" + client + "\"]]")});
      if (r) ++wins;
      else if (r.error == CollabErrc::stale) ++stale;
      else ADD_FAILURE() << r.error.message();
    }
  };
  std::thread a(writer, std::ref(node_a), "A");
  std::thread b(writer, std::ref(node_b), "B");
  a.join();
  b.join();
  auto final_state = store_->find_challenge(id_).value();
  EXPECT_EQ(final_state.version, wins.load());
  EXPECT_EQ(wins + stale, 80);
  std::string replay = "a\xF0\x9F\x98\x80" "b";
  for (const auto& u : store_->updates_since(id_, 0).value()) replay = apply_changes(replay, parse_change_set(u.changes_json).value()).value();
  EXPECT_EQ(replay, final_state.response);
  EXPECT_EQ(final_state.response.size(), 6u + static_cast<std::size_t>(wins.load()));
}

}  // namespace
}  // namespace pair::collab
