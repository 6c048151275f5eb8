// junction/validators.hpp — attribute validators, as in Sequelize's `validate`.
//
//   {"username", STRING.allowNull(false).validate(isEmail())}
//   {"year", INTEGER.validate(min(1991), max(2026).msg("year is in the future"))}
//   {"role", STRING.validate(isIn({"admin", "developer", "viewer"}))}
//   {"name", STRING.validate(custom("notAdmin", [](const Value& v) {
//       if (v.as<std::string>() == "admin") throw std::invalid_argument("reserved name");
//   }))}
//
// A Validator checks one non-null attribute value (null is governed by
// allowNull / notNull). A failed built-in validator produces Sequelize's
// message "Validation <key> on <attribute> failed" unless .msg() replaced it;
// a custom validator fails by throwing, and its exception text becomes the
// message. Model::validate collects every failure into one ValidationError.
//
// Thread-safety: validators are immutable after construction; the check
// functions must be safe to call concurrently (the built-ins are).
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "junction/value.hpp"

namespace junction {

class Validator {
 public:
  // `check` returns std::nullopt when the value passes, else a failure
  // message (empty string: use the default message). It may also throw
  // std::exception; the exception's what() is then the message.
  using Check = std::function<std::optional<std::string>(const Value&)>;

  Validator(std::string key, Check check) : key_(std::move(key)), check_(std::move(check)) {}

  // Replaces the failure message (Sequelize's `msg`). "{path}" and "{value}"
  // in the text are replaced by the attribute name and the offending value.
  Validator msg(std::string message) const;

  const std::string& key() const noexcept { return key_; }

  // nullopt when `v` passes; otherwise the final message for `attribute`.
  std::optional<std::string> run(const Value& v, const std::string& attribute) const;

 private:
  std::string key_;
  Check check_;
  std::string message_;
};

// ---- the built-ins (keys and semantics follow Sequelize / validator.js) ----
Validator notEmpty();                          // text not "" (whitespace-only fails too)
Validator isEmail();                           // validator.js isEmail, default options
Validator isUrl();                             // http, https, ftp; host required
Validator isIn(std::vector<Value> allowed);
Validator isIn(std::initializer_list<Value> allowed);
Validator notIn(std::vector<Value> forbidden);
Validator notIn(std::initializer_list<Value> forbidden);
Validator isInt();                             // integer value, or text of an integer
Validator isFloat();                           // any number, or numeric text
Validator isNumeric();                         // text of digits only, or a number
Validator isAlpha();
Validator isAlphanumeric();
Validator isLowercase();
Validator isUppercase();
Validator isUUID();                            // any version, 8-4-4-4-12 hex
Validator isDate();                            // a Timestamp/Date, or text that parses as one
Validator min(double bound);                   // number >= bound
Validator max(double bound);                   // number <= bound
Validator len(std::size_t minLength, std::size_t maxLength);  // UTF-8 code points
// A pattern must match somewhere in the text (Sequelize's `is`), or must
// not (`not`). RE2 syntax — Perl/ECMAScript classes, groups, anchors and
// repetition, but no backreferences or lookaround (a UsageError here) — so
// matching is linear in the input, whatever it is. flags: "i", "m", "s".
Validator is(std::string regex, std::string_view flags = {});
Validator notRegex(std::string regex, std::string_view flags = {});
Validator contains(std::string part);
Validator equals(Value expected);

// A user-defined rule: `fn` throws (any std::exception) to fail; its what()
// becomes the message. `key` names the rule in ValidationErrorItem.
Validator custom(std::string key, std::function<void(const Value&)> fn);

}  // namespace junction
