// Internal to the JSON writers (json.cpp, instance.cpp): appends text to a
// caller's std::string through a raw cursor. std::string's own append and
// push_back check capacity and set the length on every call, out of line;
// a response body is thousands of short pieces, so the writers reserve room
// once per piece and store bytes directly. Not thread-safe (one string).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace junction {
class Instance;
class Value;
}  // namespace junction

namespace junction::detail {

class TextSink {
 public:
  // Writes after out's current contents. Until the sink is destroyed, out
  // may hold unspecified bytes after them; the destructor trims it to what
  // was written, also when a writer throws.
  explicit TextSink(std::string& out) noexcept
      : out_(out), start_(out.size()), p_(out.data() + start_), end_(p_) {}
  ~TextSink() { out_.resize(size()); }
  TextSink(const TextSink&) = delete;
  TextSink& operator=(const TextSink&) = delete;

  std::size_t size() const noexcept { return static_cast<std::size_t>(p_ - out_.data()); }

  // Room for n more bytes: where they go. advance(end) then keeps [.., end).
  char* room(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) grow(n);
    return p_;
  }
  void advance(char* to) noexcept { p_ = to; }

  void put(char c) {
    *room(1) = c;
    ++p_;
  }
  void append(const char* s, std::size_t n) {
    copy(room(n), s, n);
    p_ += n;
  }
  void append(std::string_view s) { append(s.data(), s.size()); }

  // memcpy, with the short copies a body is mostly made of (keys, names,
  // numbers) done inline by fixed-size moves rather than a library call.
  static void copy(char* to, const char* from, std::size_t n) noexcept {
    if (n > 16) {
      std::memcpy(to, from, n);
    } else if (n >= 8) {  // two 8-byte moves that may overlap in the middle
      std::uint64_t head, tail;
      std::memcpy(&head, from, 8);
      std::memcpy(&tail, from + n - 8, 8);
      std::memcpy(to, &head, 8);
      std::memcpy(to + n - 8, &tail, 8);
    } else if (n >= 4) {
      std::uint32_t head, tail;
      std::memcpy(&head, from, 4);
      std::memcpy(&tail, from + n - 4, 4);
      std::memcpy(to, &head, 4);
      std::memcpy(to + n - 4, &tail, 4);
    } else if (n > 0) {
      to[0] = from[0];
      to[n / 2] = from[n / 2];
      to[n - 1] = from[n - 1];
    }
  }

  // Capacity for n more bytes, reserved now so that writing them does not
  // move the text written so far (a guess: more or less may follow).
  void expect(std::size_t n) {
    const std::size_t used = size();
    reserveFor(used, n);
    p_ = out_.data() + used;
    end_ = out_.data() + out_.size();
  }

  // Drops what was written after byte `size` (a size() taken earlier).
  void rewind(std::size_t size) noexcept { p_ = out_.data() + size; }

  // Lends the string, holding exactly what was written, to code that
  // appends to a std::string itself (the rare-type fallbacks).
  template <class F>
  void viaString(F&& f) {
    out_.resize(size());
    struct Resume {  // also when f throws, after the string moved or grew
      TextSink& sink;
      ~Resume() { sink.p_ = sink.end_ = sink.out_.data() + sink.out_.size(); }
    } resume{*this};
    f(out_);
  }

 private:
  // Grows the string's length (not only its capacity) so the cursor may
  // write into it. Capacity grows at least twofold, so a body written in
  // many pieces is copied O(1) times. The length runs ahead of the cursor
  // by as much as this sink has written (64 bytes to 64 KB): a call that
  // writes one number into a roomy string zero-fills a few bytes, and
  // capacity reserved generously (expect()) costs address space rather
  // than zero-filled pages.
  // Out of line (json.cpp): rare, and kept out of every write's inlined path.
  void grow(std::size_t n);
  void reserveFor(std::size_t used, std::size_t n) {
    if (const std::size_t cap = out_.capacity(); used + n > cap)
      out_.reserve(std::max(used + n, 2 * cap));
  }

  std::string& out_;
  std::size_t start_;  // out_'s length when the sink took it
  char* p_;    // the next byte to write
  char* end_;  // out_.data() + out_.size()
};

// The writers of junction/json.hpp over a sink (json.cpp); Instance's
// writer (InstanceAccess::writeJSON, instance.cpp) calls them per value.
void writeJSONString(TextSink& out, std::string_view s);
void writeJSON(TextSink& out, const Value& v);
void writeJSON(TextSink& out, const std::vector<Instance>& instances);

}  // namespace junction::detail
