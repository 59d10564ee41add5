#include "roost/presence/replication_codec.h"

#include <boost/json/parse.hpp>
#include <limits>
#include <map>
#include <simdjson.h>
#include <vector>

namespace roost::presence {
namespace {

enum class Kind : std::uint8_t { heartbeat = 1, transfer_request = 2, transfer_ack = 3 };

// ---------------------------------------------------------------------------------------
// Encoding

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void byte(std::uint8_t b) { out_.push_back(static_cast<char>(b)); }
  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      byte(static_cast<std::uint8_t>(v | 0x80));
      v >>= 7;
    }
    byte(static_cast<std::uint8_t>(v));
  }
  void text(std::string_view s) {
    varint(s.size());
    out_.append(s);
  }

 private:
  std::string& out_;
};

// Every replica a message names, in ascending order; its position is its wire index.
class ReplicaTable {
 public:
  void add(const ReplicaName& r) { index_.emplace(r, 0); }
  void add(const Context& c) {
    for (const auto& [r, clock] : c) add(r);
  }
  void add(const Delta& d) {
    add(d.context);
    add(d.range_start);
    add(d.range_end);
    for (const auto& [r, cloud] : d.clouds) add(r);
    for (const auto& [tag, entry] : d.values) add(tag.replica);
  }
  void number() {
    std::size_t i = 0;
    for (auto& [r, index] : index_) index = i++;
  }
  void write(Writer& w) const {
    w.varint(index_.size());
    for (const auto& [r, index] : index_) {
      w.text(r.node);
      w.varint(r.vsn);
    }
  }
  std::size_t at(const ReplicaName& r) const { return index_.at(r); }

 private:
  std::map<ReplicaName, std::size_t> index_;
};

void write_clock(Writer& w, const ReplicaTable& t, const Context& c) {
  w.varint(c.size());
  for (const auto& [r, clock] : c) {
    w.varint(t.at(r));
    w.varint(clock);
  }
}

void write_delta(Writer& w, const ReplicaTable& t, const Delta& d) {
  write_clock(w, t, d.context);
  w.varint(d.clouds.size());
  for (const auto& [r, cloud] : d.clouds) {
    w.varint(t.at(r));
    w.varint(cloud.size());
    std::uint64_t prev = 0;
    for (std::uint64_t dot : cloud) {
      w.varint(dot - prev);
      prev = dot;
    }
  }
  write_clock(w, t, d.range_start);
  write_clock(w, t, d.range_end);
  w.varint(d.values.size());
  for (const auto& [tag, e] : d.values) {
    w.varint(t.at(tag.replica));
    w.varint(tag.clock);
    w.text(e.topic);
    w.text(e.owner.node);
    w.varint(e.owner.id);
    w.text(e.key);
    w.text(e.meta.fields);
    w.text(e.meta.phx_ref);
    w.text(e.meta.phx_ref_prev);
  }
}

// ---------------------------------------------------------------------------------------
// Decoding. The reader's first error sticks: later reads return zero values, and callers
// check failed() before acting on what they read.

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool failed() const noexcept { return static_cast<bool>(error_); }
  std::error_code error() const noexcept { return error_; }
  void fail(ReplicationError e) {
    if (!error_) error_ = make_error_code(e);
  }
  std::size_t remaining() const noexcept { return in_.size() - pos_; }

  std::uint8_t byte() {
    if (failed()) return 0;
    if (pos_ >= in_.size()) {
      fail(ReplicationError::truncated);
      return 0;
    }
    return static_cast<std::uint8_t>(in_[pos_++]);
  }

  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const std::uint8_t b = byte();
      if (failed()) return 0;
      const std::uint64_t bits = b & 0x7f;
      // The tenth byte may only carry the top bit of a 64-bit value.
      if (shift == 63 && bits > 1) break;
      v |= bits << shift;
      if (!(b & 0x80)) {
        // Shortest form only: a last byte of zero (after the first) is padding.
        if (b == 0 && shift > 0) break;
        return v;
      }
    }
    fail(ReplicationError::bad_varint);
    return 0;
  }

  bool flag() {
    const std::uint8_t b = byte();
    if (b > 1) fail(ReplicationError::bad_flag);
    return b == 1;
  }

  // A count of elements that each take at least one byte: never more than what is left,
  // so a hostile count cannot make the decoder loop or allocate beyond the input.
  std::size_t count() {
    const std::uint64_t n = varint();
    if (n > remaining()) {
      fail(ReplicationError::truncated);
      return 0;
    }
    return static_cast<std::size_t>(n);
  }

  std::string text() {
    const std::uint64_t n = varint();
    if (failed()) return {};
    if (n > kMaxReplicationString) {
      fail(ReplicationError::too_large);
      return {};
    }
    if (n > remaining()) {
      fail(ReplicationError::truncated);
      return {};
    }
    std::string_view s = in_.substr(pos_, static_cast<std::size_t>(n));
    pos_ += s.size();
    if (!simdjson::validate_utf8(s.data(), s.size())) {
      fail(ReplicationError::bad_utf8);
      return {};
    }
    return std::string(s);
  }

  std::string non_empty_text() {
    std::string s = text();
    if (!failed() && s.empty()) fail(ReplicationError::empty_field);
    return s;
  }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
  std::error_code error_;
};

class Decoder {
 public:
  explicit Decoder(std::string_view bytes) : r_(bytes) {}

  // Version, kind, replica table and sender: enough to tell who sent a message.
  const ReplicaName* header() {
    if (r_.byte() != kReplicationFormatVersion && !r_.failed()) r_.fail(ReplicationError::bad_version);
    kind_ = static_cast<Kind>(r_.byte());
    read_table();
    return replica();
  }

  Result<ReplicaName> sender_only() {
    const ReplicaName* from = header();
    if (r_.failed()) return r_.error();
    return *from;
  }

  Result<ReplicationMessage> run() {
    const ReplicaName* from = header();
    if (r_.failed()) return r_.error();
    const Kind kind = kind_;

    ReplicationMessage message;
    switch (kind) {
      case Kind::heartbeat: {
        Heartbeat h{*from, clock(), std::nullopt};
        if (r_.flag()) h.delta = delta();
        message = std::move(h);
        break;
      }
      case Kind::transfer_request: {
        TransferRequest q;
        q.id = r_.varint();
        q.from = *from;
        q.clock = clock();
        message = std::move(q);
        break;
      }
      case Kind::transfer_ack: {
        TransferAck a;
        a.id = r_.varint();
        a.from = *from;
        a.full_state = r_.flag();
        a.state = delta();
        message = std::move(a);
        break;
      }
      default:
        r_.fail(ReplicationError::unknown_kind);
    }
    if (!r_.failed() && r_.remaining() != 0) r_.fail(ReplicationError::trailing_bytes);
    if (r_.failed()) return r_.error();
    return message;
  }

 private:
  void read_table() {
    const std::size_t n = r_.count();
    if (n > kMaxReplicasPerMessage) return r_.fail(ReplicationError::too_large);
    for (std::size_t i = 0; i < n && !r_.failed(); ++i) {
      ReplicaName name;
      name.node = r_.non_empty_text();
      name.vsn = r_.varint();
      if (r_.failed()) return;
      if (!table_.empty() && !(table_.back() < name)) return r_.fail(ReplicationError::duplicate);
      table_.push_back(std::move(name));
    }
  }

  // The replica at the next index; nullptr (and the error set) when out of range.
  const ReplicaName* replica() {
    const std::uint64_t i = r_.varint();
    if (r_.failed()) return nullptr;
    if (i >= table_.size()) {
      r_.fail(ReplicationError::bad_index);
      return nullptr;
    }
    return &table_[static_cast<std::size_t>(i)];
  }

  // A map keyed by replica with strictly ascending indices; `read` reads one value.
  template <class Map, class Read>
  Map by_replica(Read read) {
    Map out;
    const std::size_t n = r_.count();
    const ReplicaName* prev = nullptr;
    for (std::size_t i = 0; i < n && !r_.failed(); ++i) {
      const ReplicaName* r = replica();
      if (r_.failed()) break;
      if (prev != nullptr && r <= prev) {
        r_.fail(ReplicationError::duplicate);
        break;
      }
      prev = r;
      auto value = read();
      if (r_.failed()) break;
      out.emplace_hint(out.end(), *r, std::move(value));
    }
    return out;
  }

  Context clock() {
    return by_replica<Context>([this] { return r_.varint(); });
  }

  Cloud cloud() {
    Cloud out;
    const std::size_t n = r_.count();
    std::uint64_t dot = 0;
    for (std::size_t i = 0; i < n && !r_.failed(); ++i) {
      const std::uint64_t gap = r_.varint();
      if (r_.failed()) break;
      if (gap == 0 || gap > std::numeric_limits<std::uint64_t>::max() - dot) {
        r_.fail(ReplicationError::bad_clock);
        break;
      }
      dot += gap;
      out.emplace_hint(out.end(), dot);
    }
    return out;
  }

  Delta delta() {
    Delta d;
    d.context = clock();
    d.clouds = by_replica<Clouds>([this] { return cloud(); });
    d.range_start = clock();
    d.range_end = clock();
    for (const auto& [r, start] : d.range_start) {
      if (auto end = d.range_end.find(r); end != d.range_end.end() && end->second < start) {
        r_.fail(ReplicationError::bad_clock);
      }
    }
    const std::size_t n = r_.count();
    for (std::size_t i = 0; i < n && !r_.failed(); ++i) {
      const ReplicaName* r = replica();
      const std::uint64_t clock = r_.varint();
      if (r_.failed()) break;
      Dot tag{*r, clock};
      if (clock == 0) {
        r_.fail(ReplicationError::bad_clock);
      } else if (!d.values.empty() && !(d.values.rbegin()->first < tag)) {
        r_.fail(ReplicationError::duplicate);
      } else if (!seen(d.context, d.clouds, tag)) {
        r_.fail(ReplicationError::unseen_value);
      }
      Entry e;
      e.topic = r_.non_empty_text();
      e.owner.node = r_.non_empty_text();
      e.owner.id = r_.varint();
      e.key = r_.text();
      e.meta.fields = r_.text();
      e.meta.phx_ref = r_.non_empty_text();
      e.meta.phx_ref_prev = r_.text();
      if (!r_.failed() && !is_json_object(e.meta.fields)) r_.fail(ReplicationError::bad_meta);
      if (r_.failed()) break;
      e.tag = tag;
      d.values.emplace_hint(d.values.end(), std::move(tag), std::move(e));
    }
    return d;
  }

  // Metas reach clients verbatim inside presence_diff and presence_state, and the fetch
  // hook parses them: text that is not one JSON object would break both.
  static bool is_json_object(std::string_view text) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(text, ec);
    return !ec && v.is_object();
  }

  Reader r_;
  Kind kind_{};
  std::vector<ReplicaName> table_;
};

}  // namespace

std::string encode(const ReplicationMessage& message) {
  ReplicaTable table;
  table.add(sender(message));
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Heartbeat>) {
          table.add(m.clock);
          if (m.delta) table.add(*m.delta);
        } else if constexpr (std::is_same_v<T, TransferRequest>) {
          table.add(m.clock);
        } else {
          table.add(m.state);
        }
      },
      message);
  table.number();

  std::string out;
  Writer w(out);
  w.byte(kReplicationFormatVersion);
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Heartbeat>) {
          w.byte(static_cast<std::uint8_t>(Kind::heartbeat));
          table.write(w);
          w.varint(table.at(m.from));
          write_clock(w, table, m.clock);
          w.byte(m.delta ? 1 : 0);
          if (m.delta) write_delta(w, table, *m.delta);
        } else if constexpr (std::is_same_v<T, TransferRequest>) {
          w.byte(static_cast<std::uint8_t>(Kind::transfer_request));
          table.write(w);
          w.varint(table.at(m.from));
          w.varint(m.id);
          write_clock(w, table, m.clock);
        } else {
          w.byte(static_cast<std::uint8_t>(Kind::transfer_ack));
          table.write(w);
          w.varint(table.at(m.from));
          w.varint(m.id);
          w.byte(m.full_state ? 1 : 0);
          write_delta(w, table, m.state);
        }
      },
      message);
  return out;
}

Result<ReplicationMessage> decode(std::string_view bytes) { return Decoder(bytes).run(); }

Result<ReplicaName> peek_sender(std::string_view bytes) { return Decoder(bytes).sender_only(); }

}  // namespace roost::presence
