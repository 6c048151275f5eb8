// junction/value.hpp — the one dynamic value type every layer speaks.
//
// A Value is null, bool, int64, double, text, blob, timestamp (UTC,
// microseconds), date (calendar day), or json (kept as its serialized text so
// this header stays light; see junction/json.hpp for nlohmann::json).
// Conversions out of a Value are checked: as<T>() throws ConversionError
// naming both types instead of truncating or guessing.
//
// Thread-safety: a Value is a plain value type; const access is safe from
// any number of threads.
#pragma once

#include <chrono>
#include <compare>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace junction {

enum class ValueType { Null, Bool, Int, Double, Text, Blob, Timestamp, Date, Json };

// The name used in error messages ("integer", "text", ...).
std::string_view typeName(ValueType t) noexcept;

using Blob = std::vector<std::uint8_t>;

// A point in time, UTC, microsecond precision (PostgreSQL's precision).
struct Timestamp {
  std::chrono::sys_time<std::chrono::microseconds> time{};

  static Timestamp now();          // truncated to milliseconds, as JS Dates are
  static Timestamp fromMillis(std::int64_t ms);
  // Parses "YYYY-MM-DD[T| ]HH:MM[:SS[.frac]][Z|±HH[:MM]| ±HH:MM]" and
  // "YYYY-MM-DD" (midnight UTC). Throws ConversionError on anything else.
  static Timestamp parse(std::string_view text);
  static std::optional<Timestamp> tryParse(std::string_view text) noexcept;

  std::int64_t millis() const noexcept;
  // "2024-01-01T12:00:00.000Z": what JSON and Sequelize's toJSON show.
  std::string toIso() const;
  void appendIso(std::string& out) const;  // the same, appended without a temporary
  // "2024-01-01 12:00:00.000000+00:00": sortable text for SQLite storage.
  std::string toSql() const;

  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
};

// A calendar date without time (DATEONLY).
struct Date {
  std::chrono::year_month_day ymd{};

  static Date parse(std::string_view text);  // "YYYY-MM-DD"; throws ConversionError
  static std::optional<Date> tryParse(std::string_view text) noexcept;
  std::string toIso() const;                 // "YYYY-MM-DD"
  void appendIso(std::string& out) const;

  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date& a, const Date& b) { return a.ymd <=> b.ymd; }
};

// Serialized JSON text. Construct from nlohmann::json via junction/json.hpp.
struct JsonText {
  std::string text;
  friend bool operator==(const JsonText&, const JsonText&) = default;
};

class Value {
 public:
  using Storage = std::variant<std::monostate, bool, std::int64_t, double, std::string, Blob,
                               Timestamp, Date, JsonText>;

  Value() noexcept = default;
  Value(std::nullptr_t) noexcept {}
  Value(std::nullopt_t) noexcept {}
  Value(bool b) noexcept : v_(b) {}
  template <std::integral I>
    requires(!std::same_as<I, bool> && !std::same_as<I, char>)
  Value(I i) : v_(checkedInt(i)) {}
  Value(double d) noexcept : v_(d) {}
  Value(float f) noexcept : v_(static_cast<double>(f)) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(std::string s) noexcept : v_(std::move(s)) {}
  Value(std::string_view s) : v_(std::string(s)) {}
  Value(Blob b) noexcept : v_(std::move(b)) {}
  Value(Timestamp t) noexcept : v_(t) {}
  Value(Date d) noexcept : v_(d) {}
  Value(JsonText j) noexcept : v_(std::move(j)) {}
  template <class T>
  Value(const std::optional<T>& o) : Value(o ? Value(*o) : Value()) {}

  ValueType type() const noexcept { return static_cast<ValueType>(v_.index()); }
  bool isNull() const noexcept { return v_.index() == 0; }
  explicit operator bool() const = delete;  // ambiguous: use isNull() or as<bool>()

  // Checked conversion. Supported T: bool, any integral type (range-checked),
  // double/float, std::string, std::string_view (text/json only, borrows),
  // Blob, Timestamp, Date, JsonText. Lossless cross-type conversions are
  // allowed (int 0/1 → bool, integral double → int, int → double, text →
  // Timestamp/Date when it parses). Everything else throws ConversionError;
  // a null throws too — use asOptional<T>() where null is expected.
  template <class T>
  T as() const;
  template <class T>
  std::optional<T> asOptional() const {
    if (isNull()) return std::nullopt;
    return as<T>();
  }

  // Direct access without conversion; nullptr when the type differs.
  template <class T>
  const T* getIf() const noexcept {
    return std::get_if<T>(&v_);
  }

  const Storage& storage() const noexcept { return v_; }
  Storage& storage() noexcept { return v_; }

  // Human-readable rendering for messages and logs (text unquoted, null as
  // "NULL", blobs as "<blob N bytes>"). Never used to build SQL.
  std::string toString() const;
  // Rendering for logs: text quoted, long values shortened.
  std::string toDebugString() const;

  friend bool operator==(const Value& a, const Value& b);

 private:
  template <class I>
  static std::int64_t checkedInt(I i);
  [[noreturn]] void throwConversion(std::string_view target, std::string_view why = {}) const;
  Storage v_;
};

// ---- implementation details of the templates above ----

[[noreturn]] void throwIntegerOverflow(std::string_view what);

template <class I>
std::int64_t Value::checkedInt(I i) {
  if constexpr (std::is_unsigned_v<I> && sizeof(I) >= sizeof(std::int64_t)) {
    if (i > static_cast<std::make_unsigned_t<std::int64_t>>(INT64_MAX))
      throwIntegerOverflow("unsigned value does not fit in int64");
  }
  return static_cast<std::int64_t>(i);
}

namespace detail {
std::int64_t valueToInt64(const Value& v);
bool valueToBool(const Value& v);
double valueToDouble(const Value& v);
std::string valueToString(const Value& v);
Timestamp valueToTimestamp(const Value& v);
Date valueToDate(const Value& v);
JsonText valueToJson(const Value& v);
Blob valueToBlob(const Value& v);
std::string_view valueToStringView(const Value& v);
[[noreturn]] void throwIntRange(const Value& v, std::string_view target);
// Timestamp::toIso() written at `out`, which has room for kIsoChars bytes
// (it writes exactly that many); returns the end. nullptr, writing nothing,
// when the year is not 0000-9999: appendIso() renders those.
inline constexpr std::size_t kIsoChars = 24;
char* writeIso(const Timestamp& t, char* out) noexcept;
template <class T>
constexpr std::string_view intName() {
  constexpr bool s = std::is_signed_v<T>;
  switch (sizeof(T)) {
    case 1: return s ? "int8" : "uint8";
    case 2: return s ? "int16" : "uint16";
    case 4: return s ? "int32" : "uint32";
    default: return s ? "int64" : "uint64";
  }
}
}  // namespace detail

template <class T>
T Value::as() const {
  if constexpr (std::same_as<T, bool>) {
    return detail::valueToBool(*this);
  } else if constexpr (std::integral<T>) {
    std::int64_t i = detail::valueToInt64(*this);
    if constexpr (!std::same_as<T, std::int64_t>) {
      if (!std::in_range<T>(i)) detail::throwIntRange(*this, detail::intName<T>());
    }
    return static_cast<T>(i);
  } else if constexpr (std::floating_point<T>) {
    return static_cast<T>(detail::valueToDouble(*this));
  } else if constexpr (std::same_as<T, std::string>) {
    return detail::valueToString(*this);
  } else if constexpr (std::same_as<T, std::string_view>) {
    return detail::valueToStringView(*this);
  } else if constexpr (std::same_as<T, Timestamp>) {
    return detail::valueToTimestamp(*this);
  } else if constexpr (std::same_as<T, Date>) {
    return detail::valueToDate(*this);
  } else if constexpr (std::same_as<T, JsonText>) {
    return detail::valueToJson(*this);
  } else if constexpr (std::same_as<T, Blob>) {
    return detail::valueToBlob(*this);
  } else if constexpr (std::same_as<T, Value>) {
    return *this;
  } else {
    static_assert(sizeof(T) == 0, "Value::as<T>: unsupported target type");
  }
}

}  // namespace junction
