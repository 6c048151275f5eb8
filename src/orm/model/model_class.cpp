// Model classes (junction/model_class.hpp): the non-template parts, which
// keep Database and the demangler out of the header.
#include "junction/model_class.hpp"

#include <cxxabi.h>
#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "junction/database.hpp"
#include "junction/errors.hpp"

namespace junction::detail {
namespace {

// "User" rather than "4User" in messages.
std::string className(const std::type_info& cls) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(
      abi::__cxa_demangle(cls.name(), nullptr, nullptr, &status), std::free);
  std::string out = status == 0 && name ? std::string(name.get()) : std::string(cls.name());
  // Classes in unnamed namespaces (tests, single-file programs) read as "User".
  constexpr std::string_view anonymous = "(anonymous namespace)::";
  for (auto at = out.find(anonymous); at != std::string::npos; at = out.find(anonymous))
    out.erase(at, anonymous.size());
  return out;
}

}  // namespace

Model& defineModelClass(const std::type_info& cls, Database& db, AttributeList attributes,
                        ModelOptions options) {
  if (options.modelName.empty())
    throw UsageError(fmt::format(
        "{}::init: options.modelName must name the model (Sequelize's modelName: 'user')",
        className(cls)));
  std::string name = options.modelName;
  return db.define(std::move(name), std::move(attributes), std::move(options));
}

void throwModelClassNotInitialised(const std::type_info& cls) {
  const std::string name = className(cls);
  throw UsageError(
      fmt::format("model class {} is not initialised: call {}::init(db, attributes, "
                  "{{.modelName = ...}}) first",
                  name, name));
}

void throwModelClassMismatch(const std::type_info& cls, const Model& bound, const Model& given) {
  const std::string name = className(cls);
  if (bound.name() == given.name())
    throw UsageError(fmt::format(
        "{}: the instance is a row of model \"{}\" of another Database than the one {} is "
        "bound to (init() rebinds a model class)",
        name, given.name(), name));
  throw UsageError(fmt::format("{}: the instance is a row of model \"{}\", not \"{}\"", name,
                               given.name(), bound.name()));
}

}  // namespace junction::detail
