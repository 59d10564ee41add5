// Role: TypingTimer, "is this person still typing?" for one channel: every edit pushes a
// deadline back; once the deadline passes without an edit the channel receives
// TypingTimer::Idle in handle_info and clears its typing flag. One watcher coroutine
// runs per channel while typing (not one timer per keystroke), and it re-arms itself
// when edits moved the deadline while it slept.
// Thread affinity: the channel's loop only (touch, expired and the watcher all run there).
// Ownership: the channel owns the TypingTimer; the watcher shares only the deadline
// state and holds a weak ChannelRef, so a channel that ends meanwhile is simply not
// told (the watcher ends at its next wake-up).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>

#include "roost/channels/channel.h"

namespace pair::channel {

class TypingTimer {
 public:
  struct Idle {};  // the message the channel receives when typing stopped

  explicit TypingTimer(std::chrono::milliseconds idle_after) : idle_after_(idle_after) {}

  // An edit just happened.
  void touch(const boost::asio::any_io_executor& executor, roost::channels::ChannelRef channel);
  // True once the idle period has passed since the last edit (check on Idle: an edit may
  // have come in between the watcher's message and its handling).
  bool expired() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct State {
    Clock::time_point deadline{};
    bool watching = false;
  };

  std::chrono::milliseconds idle_after_;
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace pair::channel
