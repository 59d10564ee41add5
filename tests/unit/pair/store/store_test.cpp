// Store contract tests: one typed suite run against both backends, SQLite (a temporary
// file) and PostgreSQL (a real server each test process starts for itself; see
// postgres_server.h), so both implement the same behaviour: users with case-insensitive
// unique emails, challenge CRUD, the conditional append (exactly one writer wins each
// version, also under concurrency) and updates_since.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <filesystem>
#include <memory>
#include <thread>

#include "postgres_server.h"
#include "store/pg_connection.h"
#include "store/store.h"

namespace pair::store {
namespace {

namespace fs = std::filesystem;

// A fresh SQLite database file per test, deleted afterwards.
class SqliteBackend {
 public:
  SqliteBackend() {
    std::string templ = (fs::temp_directory_path() / "pair-store-XXXXXX").string();
    if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = templ;
  }
  ~SqliteBackend() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string url() const { return (dir_ / "pair.sqlite3").string(); }

 private:
  fs::path dir_;
};

// One PostgreSQL server per test process (gtest_discover_tests runs each test in its
// own process), with an empty public schema for every backend instance.
class PostgresBackend {
 public:
  PostgresBackend() {
    static testing::PostgresServer server;  // stopped at exit
    url_ = server.url();
    auto conn = PgConnection::open(url_);
    if (!conn) throw std::runtime_error("cannot connect to the test PostgreSQL");
    if (!(*conn)->run("DROP SCHEMA public CASCADE").ok() || !(*conn)->run("CREATE SCHEMA public").ok())
      throw std::runtime_error("cannot reset the test database");
  }
  std::string url() const { return url_; }

 private:
  std::string url_;
};

template <class Backend>
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = open_store(backend_.url());
    ASSERT_TRUE(opened) << opened.error().message();
    store_ = std::move(*opened);
  }

  Challenge make_challenge(std::string response = "start\n") {
    auto c = store_->create_challenge("Title", "Prompt", "python", std::move(response));
    EXPECT_TRUE(c) << c.error().message();
    return c ? *c : Challenge{};
  }

  Backend backend_;
  std::unique_ptr<Store> store_;
};

using Backends = ::testing::Types<SqliteBackend, PostgresBackend>;
class BackendNames {
 public:
  template <class T>
  static std::string GetName(int) {
    return std::is_same_v<T, SqliteBackend> ? "Sqlite" : "Postgres";
  }
};
TYPED_TEST_SUITE(StoreTest, Backends, BackendNames);

TYPED_TEST(StoreTest, CreatesAndFindsUsers) {
  auto created = this->store_->create_user("Ada", "Ada@Example.com", "$argon2id$hash");
  ASSERT_TRUE(created) << created.error().message();
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->first_name, "Ada");
  EXPECT_EQ(created->email, "Ada@Example.com");
  EXPECT_EQ(created->password_hash, "$argon2id$hash");
  EXPECT_GT(created->inserted_at_ms, 0);

  auto by_id = this->store_->find_user(created->id);
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->email, "Ada@Example.com");

  auto by_email = this->store_->find_user_by_email("ada@EXAMPLE.com");
  ASSERT_TRUE(by_email) << "email lookup must ignore case";
  EXPECT_EQ(by_email->id, created->id);

  EXPECT_EQ(this->store_->find_user(created->id + 1000).error(), StoreErrc::not_found);
  EXPECT_EQ(this->store_->find_user_by_email("nobody@example.com").error(), StoreErrc::not_found);
}

TYPED_TEST(StoreTest, EmailIsTakenWhateverItsCase) {
  ASSERT_TRUE(this->store_->create_user("Ada", "ada@example.com", "h1"));
  auto again = this->store_->create_user("Other", "ADA@example.COM", "h2");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error(), StoreErrc::email_taken);
  ASSERT_TRUE(this->store_->create_user("Bob", "bob@example.com", "h3")) << "a different email is still free";
}

TYPED_TEST(StoreTest, RefusesTextWithNul) {
  using namespace std::string_literals;
  EXPECT_EQ(this->store_->create_user("A\0B"s, "a@example.com", "h").error(), StoreErrc::invalid);
  EXPECT_EQ(this->store_->create_challenge("T", "P\0"s, "c", "").error(), StoreErrc::invalid);
}

TYPED_TEST(StoreTest, SeedsTheSampleChallengesOnce) {
  auto list = this->store_->list_challenges();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 4u);
  std::vector<std::string> titles;
  for (const auto& c : *list) {
    titles.push_back(c.title);
    EXPECT_EQ(c.version, 0);
    EXPECT_FALSE(c.prompt.empty());
    EXPECT_FALSE(c.language.empty());
    EXPECT_FALSE(c.response.empty()) << c.title << " has a starter response";
  }
  EXPECT_EQ(titles, (std::vector<std::string>{"FizzBuzz", "Two Sum", "Reverse a linked list", "Valid parentheses"}));

  // Opening the same database again migrates nothing and seeds nothing.
  auto reopened = open_store(this->backend_.url());
  ASSERT_TRUE(reopened) << reopened.error().message();
  auto again = (*reopened)->list_challenges();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->size(), 4u);
}

TYPED_TEST(StoreTest, ChallengeCrud) {
  auto created = this->store_->create_challenge("Sum", "Add two numbers", "python", "def add(a, b):\n");
  ASSERT_TRUE(created) << created.error().message();
  EXPECT_EQ(created->title, "Sum");
  EXPECT_EQ(created->prompt, "Add two numbers");
  EXPECT_EQ(created->language, "python");
  EXPECT_EQ(created->response, "def add(a, b):\n");
  EXPECT_EQ(created->version, 0);
  EXPECT_EQ(created->inserted_at_ms, created->updated_at_ms);

  auto found = this->store_->find_challenge(created->id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->title, "Sum");

  auto list = this->store_->list_challenges();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 5u);
  EXPECT_EQ(list->back().id, created->id) << "newest last";

  ChallengeEdit edit;
  edit.title = "Sum of two";
  auto edited = this->store_->edit_challenge(created->id, edit);
  ASSERT_TRUE(edited) << edited.error().message();
  EXPECT_EQ(edited->title, "Sum of two");
  EXPECT_EQ(edited->prompt, "Add two numbers") << "fields not in the edit stay";
  EXPECT_EQ(edited->language, "python");
  EXPECT_EQ(edited->response, "def add(a, b):\n");
  EXPECT_GE(edited->updated_at_ms, created->updated_at_ms);

  edit = ChallengeEdit{};
  edit.prompt = "Add two integers";
  edit.language = "ruby";
  edited = this->store_->edit_challenge(created->id, edit);
  ASSERT_TRUE(edited);
  EXPECT_EQ(edited->title, "Sum of two");
  EXPECT_EQ(edited->prompt, "Add two integers");
  EXPECT_EQ(edited->language, "ruby");

  EXPECT_EQ(this->store_->find_challenge(987654).error(), StoreErrc::not_found);
  EXPECT_EQ(this->store_->edit_challenge(987654, edit).error(), StoreErrc::not_found);
}

TYPED_TEST(StoreTest, AppendUpdatesAdvancesTheVersion) {
  Challenge c = this->make_challenge("ab");
  std::vector<CollabUpdate> updates{{"client-a", R"([2,[0,"c"]])"}, {"client-b", R"([[0,"x"],3])"}};
  auto appended = this->store_->append_updates(c.id, 0, updates, "xabc");
  ASSERT_TRUE(appended) << appended.error().message();
  EXPECT_EQ(appended->version, 2);
  EXPECT_EQ(appended->response, "xabc");

  auto found = this->store_->find_challenge(c.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->version, 2);
  EXPECT_EQ(found->response, "xabc");

  auto all = this->store_->updates_since(c.id, 0);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].client_id, "client-a");
  EXPECT_EQ((*all)[0].changes_json, R"([2,[0,"c"]])");
  EXPECT_EQ((*all)[1].client_id, "client-b");
  EXPECT_EQ((*all)[1].changes_json, R"([[0,"x"],3])");

  auto after_one = this->store_->updates_since(c.id, 1);
  ASSERT_TRUE(after_one);
  ASSERT_EQ(after_one->size(), 1u);
  EXPECT_EQ((*after_one)[0].client_id, "client-b");

  auto none = this->store_->updates_since(c.id, 2);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());

  auto next = this->store_->append_updates(c.id, 2, {{"client-a", R"([4,[0,"!"]])"}}, "xabc!");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->version, 3);
}

TYPED_TEST(StoreTest, AppendAtAStaleVersionConflictsAndChangesNothing) {
  Challenge c = this->make_challenge("ab");
  ASSERT_TRUE(this->store_->append_updates(c.id, 0, {{"a", "[2]"}}, "first"));
  auto stale = this->store_->append_updates(c.id, 0, {{"b", "[2]"}}, "second");
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error(), StoreErrc::version_conflict);
  auto ahead = this->store_->append_updates(c.id, 5, {{"b", "[2]"}}, "second");
  ASSERT_FALSE(ahead);
  EXPECT_EQ(ahead.error(), StoreErrc::version_conflict);

  auto found = this->store_->find_challenge(c.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->version, 1);
  EXPECT_EQ(found->response, "first");
  auto updates = this->store_->updates_since(c.id, 0);
  ASSERT_TRUE(updates);
  ASSERT_EQ(updates->size(), 1u);
  EXPECT_EQ((*updates)[0].client_id, "a");
}

TYPED_TEST(StoreTest, AppendAndPullOnAnUnknownChallengeAreNotFound) {
  EXPECT_EQ(this->store_->append_updates(424242, 0, {{"a", "[0]"}}, "").error(), StoreErrc::not_found);
  EXPECT_EQ(this->store_->updates_since(424242, 0).error(), StoreErrc::not_found);
}

TYPED_TEST(StoreTest, AppendRefusesAnEmptyUpdateList) {
  Challenge c = this->make_challenge();
  EXPECT_EQ(this->store_->append_updates(c.id, 0, {}, "x").error(), StoreErrc::invalid);
  EXPECT_EQ(this->store_->append_updates(c.id, -1, {{"a", "[0]"}}, "x").error(), StoreErrc::invalid);
}

// Two threads race for every version from 0 to kVersions-1: each tries base v, then
// v+1, ... For each version exactly one of them must win, and the stored log must name
// that winner; no version may be stored twice or skipped.
TYPED_TEST(StoreTest, ConcurrentAppendsHaveExactlyOneWinnerPerVersion) {
  constexpr int kVersions = 40;
  Challenge c = this->make_challenge("");
  std::array<std::vector<int>, 2> wins;
  std::array<int, 2> conflicts{};
  std::array<std::string, 2> failures;
  std::barrier start(2);
  auto racer = [&](int who) {
    start.arrive_and_wait();
    std::string name = who == 0 ? "left" : "right";
    for (int v = 0; v < kVersions; ++v) {
      auto r = this->store_->append_updates(c.id, v, {{name, "[" + std::to_string(v) + "]"}}, name + std::to_string(v));
      if (r) wins[who].push_back(v);
      else if (r.error() == StoreErrc::version_conflict) ++conflicts[who];
      else failures[who] += r.error().message() + "; ";
    }
  };
  std::thread left(racer, 0), right(racer, 1);
  left.join();
  right.join();
  EXPECT_EQ(failures[0], "");
  EXPECT_EQ(failures[1], "");
  EXPECT_EQ(wins[0].size() + wins[1].size(), static_cast<std::size_t>(kVersions));
  EXPECT_EQ(conflicts[0] + conflicts[1], kVersions);

  auto found = this->store_->find_challenge(c.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->version, kVersions);
  auto log = this->store_->updates_since(c.id, 0);
  ASSERT_TRUE(log);
  ASSERT_EQ(log->size(), static_cast<std::size_t>(kVersions));
  for (int who = 0; who < 2; ++who) {
    for (int v : wins[who]) {
      EXPECT_EQ((*log)[v].client_id, who == 0 ? "left" : "right") << "version " << v + 1;
      EXPECT_EQ((*log)[v].changes_json, "[" + std::to_string(v) + "]");
    }
  }
}

}  // namespace
}  // namespace pair::store
