// RecordingOutbound: an in-memory transport::Outbound that records every frame sent and every close.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "roost/transport/socket_handler.h"

namespace roost::testing {

class RecordingOutbound final : public transport::Outbound {
 public:
  struct Frame {
    bool binary = false;  // always false for shared frames (their bytes are already in frame_form())
    bool shared = false;  // came through send_shared (a broadcast)
    std::string bytes;
  };

  explicit RecordingOutbound(proto::Serializer serializer = proto::Serializer::v2_json,
                             transport::FrameForm form = transport::FrameForm::bare_text)
      : serializer_(serializer), form_(form) {}

  proto::Serializer serializer() const noexcept override { return serializer_; }
  transport::FrameForm frame_form() const noexcept override { return form_; }

  transport::SendStatus send(proto::EncodedFrame frame) override {
    frames.push_back(Frame{frame.binary, false, std::move(frame.bytes)});
    return transport::SendStatus::sent;
  }
  transport::SendStatus send_shared(const SharedBytes& frame) override {
    frames.push_back(Frame{false, true, frame ? *frame : std::string()});
    return transport::SendStatus::sent;
  }
  void close(std::uint16_t code) override { close_codes.push_back(code); }

  // Takes the frames recorded so far.
  std::vector<Frame> take() {
    auto out = std::move(frames);
    frames.clear();
    return out;
  }

  std::vector<Frame> frames;
  std::vector<std::uint16_t> close_codes;

 private:
  proto::Serializer serializer_;
  transport::FrameForm form_;
};

}  // namespace roost::testing
