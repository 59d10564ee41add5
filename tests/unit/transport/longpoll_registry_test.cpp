// LongPollRegistry::loop_of token parsing, and LongPollSession's polls, posts, windows and inactivity (protocol.md §9).
#include "roost/transport/longpoll_registry.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "roost/transport/longpoll_session.h"
#include "roost/transport/loop_transport.h"
#include "support/loop_runner.h"

namespace {

using roost::SharedBytes;
using roost::Task;
using roost::proto::EncodedFrame;
using roost::proto::LongPollLine;
using roost::testing::LoopRunner;
using roost::testing::settle;
using roost::transport::LongPollRegistry;
using roost::transport::LongPollSession;
using roost::transport::LoopTransport;
using roost::transport::SendStatus;
using roost::transport::SocketHandler;
using roost::transport::SocketOptions;
using std::chrono::milliseconds;

TEST(LongPollRegistry, LoopOfWellFormedTokens) {
  EXPECT_EQ(LongPollRegistry::loop_of("0.abc"), std::optional<std::size_t>(0));
  EXPECT_EQ(LongPollRegistry::loop_of("3.x"), std::optional<std::size_t>(3));
  EXPECT_EQ(LongPollRegistry::loop_of("12.AbC-_"), std::optional<std::size_t>(12));
  EXPECT_EQ(LongPollRegistry::loop_of("7."), std::optional<std::size_t>(7));  // the part after the dot is not parsed
}

TEST(LongPollRegistry, LoopOfBadTokens) {
  for (std::string_view bad : {"", "abc", ".abc", "x.abc", "1x.abc", "-1.abc", "+1.abc", " 1.abc", "1 .abc",
                               "99999999999999999999999999.abc"}) {
    EXPECT_EQ(LongPollRegistry::loop_of(bad), std::nullopt) << "token '" << bad << "'";
  }
}

// A SocketHandler that records frames and can be made busy, as a socket in a join is.
class RecordingHandler final : public SocketHandler {
 public:
  void on_frame(std::string_view data, bool binary) override {
    frames.emplace_back(binary ? "bin:" + std::string(data) : std::string(data));
    if (on_frame_hook) on_frame_hook(data);
  }
  bool busy() const noexcept override { return busy_; }
  void when_idle(std::function<void()> fn) override {
    if (!busy_) {
      fn();
      return;
    }
    waiters_.push_back(std::move(fn));
  }
  void on_closed() override { ++closed; }
  bool has_channels() const noexcept override { return false; }

  void set_busy(bool b) {
    busy_ = b;
    if (b) return;
    auto w = std::move(waiters_);
    waiters_.clear();
    for (auto& f : w) f();
  }

  std::vector<std::string> frames;
  std::function<void(std::string_view)> on_frame_hook;
  int closed = 0;

 private:
  bool busy_ = false;
  std::vector<std::function<void()>> waiters_;
};

// What the session owns: forwards to a RecordingHandler the test keeps, so the record
// outlives the session's release of its handler.
class Forwarder final : public SocketHandler {
 public:
  explicit Forwarder(RecordingHandler& to) : to_(to) {}
  void on_frame(std::string_view data, bool binary) override { to_.on_frame(data, binary); }
  bool busy() const noexcept override { return to_.busy(); }
  void when_idle(std::function<void()> fn) override { to_.when_idle(std::move(fn)); }
  void on_closed() override { to_.on_closed(); }
  bool has_channels() const noexcept override { return false; }

 private:
  RecordingHandler& to_;
};

struct PollAnswer {
  int calls = 0;
  int status = 0;
  std::vector<std::string> messages;
  std::function<void(int, std::vector<SharedBytes>)> responder() {
    return [this](int s, std::vector<SharedBytes> m) {
      ++calls;
      status = s;
      messages.clear();
      for (auto& b : m) messages.push_back(*b);
    };
  }
};

struct PostAnswer {
  std::vector<int> statuses;
  std::function<void(int)> responder() {
    return [this](int s) { statuses.push_back(s); };
  }
};

EncodedFrame text(std::string s) { return EncodedFrame{false, std::move(s)}; }

std::vector<LongPollLine> lines(std::initializer_list<std::string> ls) {
  std::vector<LongPollLine> out;
  for (auto& l : ls) out.push_back(LongPollLine{false, l});
  return out;
}

// Each test runs on a fresh loop thread with LoopTransport installed there; sessions are
// created through that loop's registry and ended before the body returns.
class LongPollSessionTest : public ::testing::Test {
 protected:
  LongPollSessionTest() { options.longpoll_window = milliseconds(10'000); }

  void run(std::function<Task<void>(LongPollSession&, RecordingHandler&)> body) {
    bool ok = runner.run([&]() -> Task<void> {
      LoopTransport::install(runner.loop());
      auto session = LoopTransport::current().longpoll().create(options, roost::proto::Serializer::v2_json);
      session->attach(std::make_unique<Forwarder>(handler));
      co_await body(*session, handler);
      session->end();
      co_await settle();
      registry_size_after = LoopTransport::current().longpoll().size();
    });
    ASSERT_TRUE(ok) << "test body timed out";
  }

  SocketOptions options;
  LoopRunner runner;
  RecordingHandler handler;
  std::size_t registry_size_after = 99;
};

TEST_F(LongPollSessionTest, RegistryCreatesTokensNamingItsLoopAndFindsThem) {
  run([&](LongPollSession& session, RecordingHandler&) -> Task<void> {
    auto& reg = LoopTransport::current().longpoll();
    EXPECT_EQ(LongPollRegistry::loop_of(session.token()), std::optional<std::size_t>(0));
    EXPECT_GE(session.token().size(), 20u);
    EXPECT_EQ(reg.find(session.token()).get(), &session);
    EXPECT_EQ(reg.find("0.unknown"), nullptr);
    auto second = reg.create(options, roost::proto::Serializer::v2_json);
    RecordingHandler other;
    second->attach(std::make_unique<Forwarder>(other));
    EXPECT_NE(second->token(), session.token());
    EXPECT_EQ(reg.size(), 2u);
    second->end();
    EXPECT_EQ(reg.find(second->token()), nullptr);  // an ended session is not found any more
    co_await settle();
    EXPECT_EQ(reg.size(), 1u);  // and is removed afterwards
  });
  EXPECT_EQ(registry_size_after, 0u);
}

TEST_F(LongPollSessionTest, PollWithQueuedFramesIsAnswered200WithAllOfThem) {
  run([&](LongPollSession& session, RecordingHandler&) -> Task<void> {
    EXPECT_EQ(session.send(text("a")), SendStatus::sent);
    EXPECT_EQ(session.send(text("b")), SendStatus::sent);
    PollAnswer answer;
    session.poll(answer.responder());
    co_await settle();
    EXPECT_EQ(answer.calls, 1);
    EXPECT_EQ(answer.status, 200);
    EXPECT_EQ(answer.messages, (std::vector<std::string>{"a", "b"}));
    // Delivered frames are gone: the next poll is held.
    PollAnswer next;
    session.poll(next.responder());
    co_await settle();
    EXPECT_EQ(next.calls, 0);
    // A frame produced while a poll is held answers it.
    session.send(text("c"));
    session.send_shared(roost::make_shared_bytes("d"));
    co_await settle();
    EXPECT_EQ(next.calls, 1);
    EXPECT_EQ(next.status, 200);
    EXPECT_EQ(next.messages, (std::vector<std::string>{"c", "d"}));
  });
}

TEST_F(LongPollSessionTest, NewerPollReplacesTheHeldOneWith204) {
  run([&](LongPollSession& session, RecordingHandler&) -> Task<void> {
    PollAnswer first, second;
    session.poll(first.responder());
    session.poll(second.responder());
    EXPECT_EQ(first.calls, 1);
    EXPECT_EQ(first.status, 204);
    session.send(text("x"));
    co_await settle();
    EXPECT_EQ(first.calls, 1);
    EXPECT_EQ(second.calls, 1);
    EXPECT_EQ(second.messages, std::vector<std::string>{"x"});
  });
}

TEST_F(LongPollSessionTest, WindowExpiryAnswers204) {
  run([&](LongPollSession& session, RecordingHandler&) -> Task<void> {
    const auto t0 = LongPollSession::Clock::now();
    PollAnswer answer;
    session.poll(answer.responder());
    EXPECT_FALSE(session.sweep(t0 + options.longpoll_window - milliseconds(1)));
    EXPECT_EQ(answer.calls, 0);
    EXPECT_FALSE(session.sweep(LongPollSession::Clock::now() + options.longpoll_window));
    EXPECT_EQ(answer.calls, 1);
    EXPECT_EQ(answer.status, 204);
    EXPECT_TRUE(answer.messages.empty());
    EXPECT_FALSE(session.ended());
    co_return;
  });
}

TEST_F(LongPollSessionTest, BinaryFramesAreDropped) {
  run([&](LongPollSession& session, RecordingHandler&) -> Task<void> {
    EXPECT_EQ(session.send(EncodedFrame{true, std::string("\x00\x01", 2)}), SendStatus::dropped);
    session.send(text("t"));
    PollAnswer answer;
    session.poll(answer.responder());
    co_await settle();
    EXPECT_EQ(answer.status, 200);
    EXPECT_EQ(answer.messages, std::vector<std::string>{"t"});
  });
}

TEST_F(LongPollSessionTest, PostLinesAreDispatchedInOrderAndAcknowledged) {
  run([&](LongPollSession& session, RecordingHandler& handler) -> Task<void> {
    PostAnswer answer;
    std::vector<LongPollLine> ls = lines({"[1]", "[2]", "[3]"});
    ls.push_back(LongPollLine{true, std::string("\x00\x01", 2)});
    session.post(std::move(ls), answer.responder());
    EXPECT_EQ(handler.frames, (std::vector<std::string>{"[1]", "[2]", "[3]", std::string("bin:\x00\x01", 6)}));
    EXPECT_EQ(answer.statuses, std::vector<int>{200});
    co_return;
  });
}

TEST_F(LongPollSessionTest, PostWaitsForABusyHandlerThenGoesOn) {
  run([&](LongPollSession& session, RecordingHandler& handler) -> Task<void> {
    handler.on_frame_hook = [&](std::string_view f) {
      if (f == "[join]") handler.set_busy(true);
    };
    PostAnswer answer;
    session.post(lines({"[a]", "[join]", "[b]", "[c]"}), answer.responder());
    EXPECT_EQ(handler.frames, (std::vector<std::string>{"[a]", "[join]"}));
    EXPECT_TRUE(answer.statuses.empty());
    co_await settle();
    EXPECT_TRUE(answer.statuses.empty());
    handler.set_busy(false);
    EXPECT_EQ(handler.frames, (std::vector<std::string>{"[a]", "[join]", "[b]", "[c]"}));
    EXPECT_EQ(answer.statuses, std::vector<int>{200});
  });
}

TEST_F(LongPollSessionTest, PostAnswered408WhenTheHandlerStaysBusyPastTheWindow) {
  run([&](LongPollSession& session, RecordingHandler& handler) -> Task<void> {
    handler.on_frame_hook = [&](std::string_view f) {
      if (f == "[join]") handler.set_busy(true);
    };
    PostAnswer answer;
    const auto t0 = LongPollSession::Clock::now();
    session.post(lines({"[join]", "[b]"}), answer.responder());
    EXPECT_FALSE(session.sweep(t0 + options.longpoll_window - milliseconds(1)));
    EXPECT_TRUE(answer.statuses.empty());
    PollAnswer keepalive;  // a GET keeps the session from ending for inactivity
    session.poll(keepalive.responder());
    EXPECT_FALSE(session.sweep(LongPollSession::Clock::now() + options.longpoll_window));
    EXPECT_EQ(answer.statuses, std::vector<int>{408});
    // The remaining lines are not dispatched, even once the handler is idle again.
    handler.set_busy(false);
    co_await settle();
    EXPECT_EQ(handler.frames, std::vector<std::string>{"[join]"});
    EXPECT_EQ(answer.statuses, std::vector<int>{408});
    // The session still works for the next POST.
    PostAnswer next;
    session.post(lines({"[n]"}), next.responder());
    EXPECT_EQ(next.statuses, std::vector<int>{200});
    EXPECT_EQ(handler.frames, (std::vector<std::string>{"[join]", "[n]"}));
  });
}

TEST_F(LongPollSessionTest, InactivityEndsTheSessionAfterOneAndAHalfWindows) {
  run([&](LongPollSession& session, RecordingHandler& handler) -> Task<void> {
    const auto t0 = LongPollSession::Clock::now();  // not after the GET below started
    PollAnswer get;
    session.poll(get.responder());
    EXPECT_FALSE(session.sweep(LongPollSession::Clock::now() + options.longpoll_window));
    EXPECT_EQ(get.status, 204);  // the GET ran out its window; no new GET follows
    EXPECT_FALSE(session.sweep(t0 + options.longpoll_window * 3 / 2));
    EXPECT_FALSE(session.ended());
    EXPECT_TRUE(session.sweep(LongPollSession::Clock::now() + options.longpoll_window * 3 / 2 + milliseconds(1)));
    EXPECT_TRUE(session.ended());
    EXPECT_EQ(session.send(text("late")), SendStatus::dropped);
    co_await settle();
    EXPECT_EQ(handler.closed, 1);  // the socket learns of the end (after the sweep, not inside it)
    EXPECT_EQ(LoopTransport::current().longpoll().find(session.token()), nullptr);
  });
}

TEST_F(LongPollSessionTest, AGetRestartsTheInactivityClock) {
  run([&](LongPollSession& session, RecordingHandler&) -> Task<void> {
    PollAnswer a;
    session.poll(a.responder());
    const auto t1 = LongPollSession::Clock::now();
    // The held GET expires after one window; the session lives on until 1.5 windows after it started.
    EXPECT_FALSE(session.sweep(t1 + options.longpoll_window));
    EXPECT_EQ(a.status, 204);
    EXPECT_FALSE(session.ended());
    EXPECT_TRUE(session.sweep(LongPollSession::Clock::now() + options.longpoll_window * 2));
    co_return;
  });
}

TEST_F(LongPollSessionTest, CloseEndsTheSessionAndAnswersWaiters) {
  run([&](LongPollSession& session, RecordingHandler& handler) -> Task<void> {
    handler.on_frame_hook = [&](std::string_view) { handler.set_busy(true); };
    PollAnswer poll;
    PostAnswer post;
    session.poll(poll.responder());
    session.post(lines({"[x]", "[y]"}), post.responder());
    session.close(1001);
    EXPECT_TRUE(session.ended());
    EXPECT_EQ(poll.status, 204);
    EXPECT_EQ(post.statuses, std::vector<int>{410});
    EXPECT_EQ(handler.closed, 0);  // on_closed follows later, never inside close()
    co_await settle();
    EXPECT_EQ(handler.closed, 1);
    handler.set_busy(false);
  });
}

}  // namespace
