// Sequelize's naming: pluralised table names (the `inflection` package's
// common rules) and underscored column names.
#include <array>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>

#include "junction/model.hpp"

namespace junction {

namespace {

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool isVowel(char c) {
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

// Keeps the case style of the original last letter ("Person" → "People").
std::string withCase(std::string_view original, std::string_view replacement) {
  std::string r(replacement);
  if (!original.empty() && std::isupper(static_cast<unsigned char>(original[0])))
    r[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(r[0])));
  return r;
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kIrregular{{
    {"person", "people"},
    {"man", "men"},
    {"woman", "women"},
    {"child", "children"},
    {"mouse", "mice"},
    {"goose", "geese"},
    {"foot", "feet"},
    {"tooth", "teeth"},
    {"ox", "oxen"},
}};
constexpr std::array<std::string_view, 12> kUncountable{
    "equipment", "information", "rice", "money", "species", "series",
    "fish",      "sheep",       "deer", "news",  "data",    "metadata"};

}  // namespace

std::string pluralize(std::string_view word) {
  if (word.empty()) return std::string(word);
  // Only the last word of "user_note" or "UserProject" is pluralised.
  std::size_t start = 0;
  for (std::size_t i = word.size(); i-- > 1;) {
    if (word[i] == '_' || word[i] == '-' || word[i] == ' ') {
      start = i + 1;
      break;
    }
    if (std::isupper(static_cast<unsigned char>(word[i]))) {
      start = i;
      break;
    }
  }
  std::string head(word.substr(0, start));
  std::string_view last = word.substr(start);
  std::string lower;
  for (char c : last) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto u : kUncountable)
    if (lower == u) return std::string(word);
  for (auto [one, many] : kIrregular) {
    if (lower == one) return head + withCase(last, many);
    if (lower == many) return std::string(word);
  }
  std::string w(last);
  if (endsWith(lower, "ss") || endsWith(lower, "sh") || endsWith(lower, "ch") ||
      endsWith(lower, "x") || endsWith(lower, "z"))
    return head + w + "es";
  if (endsWith(lower, "us")) return head + w + "es";   // status → statuses
  if (endsWith(lower, "s")) return std::string(word);  // already plural ("user_notes")
  if (lower.size() > 1 && lower.back() == 'y' && !isVowel(lower[lower.size() - 2]))
    return head + w.substr(0, w.size() - 1) + "ies";
  if (endsWith(lower, "fe")) return head + w.substr(0, w.size() - 2) + "ves";
  if (endsWith(lower, "lf") || endsWith(lower, "af"))
    return head + w.substr(0, w.size() - 1) + "ves";
  return head + w + "s";
}

std::string underscore(std::string_view camel) {
  std::string out;
  out.reserve(camel.size() + 4);
  for (std::size_t i = 0; i < camel.size(); ++i) {
    char c = camel[i];
    if (std::isupper(static_cast<unsigned char>(c))) {
      bool prevLowerOrDigit = i > 0 && (std::islower(static_cast<unsigned char>(camel[i - 1])) ||
                                        std::isdigit(static_cast<unsigned char>(camel[i - 1])));
      bool acronymEnd = i > 0 && std::isupper(static_cast<unsigned char>(camel[i - 1])) &&
                        i + 1 < camel.size() &&
                        std::islower(static_cast<unsigned char>(camel[i + 1]));
      if (prevLowerOrDigit || acronymEnd) out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace junction
