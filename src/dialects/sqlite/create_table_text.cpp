// SQLite's CREATE TABLE text, item by item: what a table rebuild reads and
// rewrites (schema_editor.cpp). SQLite keeps a table's definition only as
// the text it was created with, so the columns and constraints a rebuild
// keeps verbatim are found here. A tokenizer rather than a SQL parser: the
// items are split at top-level commas and only their first keywords and
// name lists are read.
#include "dialects/sqlite/create_table_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "junction/errors.hpp"
#include "schema/ddl.hpp"

namespace junction::sqlite {

using schema::quote;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

namespace {

// ------------------------------------------------------------- tokenizer

struct Token {
  enum Kind { Word, Quoted, String, Number, Punct } kind;
  std::string_view text;
  std::size_t begin = 0, end = 0;
  int depth = 0;  // parenthesis depth at the token (a '(' has the outer depth)
};

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  int depth = 0;
  std::size_t i = 0;
  auto push = [&](Token::Kind k, std::size_t b, std::size_t e) {
    out.push_back({k, s.substr(b, e - b), b, e, depth});
  };
  while (i < s.size()) {
    char ch = s[i];
    if (std::isspace(static_cast<unsigned char>(ch))) {
      ++i;
    } else if (ch == '-' && i + 1 < s.size() && s[i + 1] == '-') {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (ch == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      std::size_t e = s.find("*/", i + 2);
      i = e == std::string_view::npos ? s.size() : e + 2;
    } else if (ch == '"' || ch == '`' || ch == '\'' || ch == '[') {
      char close = ch == '[' ? ']' : ch;
      std::size_t b = i++;
      while (i < s.size()) {
        if (s[i] == close) {
          if (close != ']' && i + 1 < s.size() && s[i + 1] == close) {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      i = std::min(s.size(), i + 1);
      push(ch == '\'' ? Token::String : Token::Quoted, b, i);
    } else if (std::isalpha(static_cast<unsigned char>(ch)) || ch == '_' ||
               static_cast<unsigned char>(ch) >= 0x80) {
      std::size_t b = i;
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' ||
                              s[i] == '$' || static_cast<unsigned char>(s[i]) >= 0x80))
        ++i;
      push(Token::Word, b, i);
    } else if (std::isdigit(static_cast<unsigned char>(ch))) {
      std::size_t b = i;
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
      push(Token::Number, b, i);
    } else {
      if (ch == ')') --depth;
      push(Token::Punct, i, i + 1);
      if (ch == '(') ++depth;
      ++i;
    }
  }
  return out;
}

bool isKeyword(const Token& t, std::string_view kw) {
  return t.kind == Token::Word && iequals(t.text, kw);
}

std::string unquote(const Token& t) {
  if (t.kind != Token::Quoted && t.kind != Token::String) return std::string(t.text);
  char close = t.text.front() == '[' ? ']' : t.text.front();
  std::string out;
  std::string_view body = t.text.substr(1, t.text.size() >= 2 ? t.text.size() - 2 : 0);
  for (std::size_t i = 0; i < body.size(); ++i) {
    out += body[i];
    if (body[i] == close && close != ']' && i + 1 < body.size() && body[i + 1] == close) ++i;
  }
  return out;
}

bool isName(const Token& t) {
  return t.kind == Token::Word || t.kind == Token::Quoted || t.kind == Token::String;
}

// Names of a parenthesised list starting at tokens[i] == '(' (first token of
// each element; COLLATE/ASC/DESC are skipped).
std::vector<std::string> nameList(const std::vector<Token>& tokens, std::size_t i) {
  std::vector<std::string> names;
  if (i >= tokens.size() || tokens[i].text != "(") return names;
  int depth = tokens[i].depth + 1;
  bool expectName = true;
  for (++i; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.depth < depth) break;
    if (t.depth == depth && t.text == ",") {
      expectName = true;
    } else if (expectName && isName(t)) {
      names.push_back(unquote(t));
      expectName = false;
    }
  }
  return names;
}

Item parseItem(std::string_view text) {
  Item item;
  auto tokens = tokenize(text);
  if (tokens.empty()) return item;
  static constexpr std::string_view kConstraintStarts[] = {"CONSTRAINT", "PRIMARY", "UNIQUE",
                                                           "CHECK", "FOREIGN"};
  bool constraint = tokens[0].kind == Token::Word &&
                    std::any_of(std::begin(kConstraintStarts), std::end(kConstraintStarts),
                                [&](auto kw) { return iequals(tokens[0].text, kw); });
  if (!constraint) {
    item.column = true;
    item.name = unquote(tokens[0]);
    item.text = trim(text.substr(tokens[0].end));
    return item;
  }
  item.text = trim(text);
  std::size_t k = 0;
  if (isKeyword(tokens[0], "CONSTRAINT") && tokens.size() > 2) {
    item.name = unquote(tokens[1]);
    k = 2;
  }
  std::string kind(tokens[k].text);
  std::transform(kind.begin(), kind.end(), kind.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  item.kind = kind;
  for (std::size_t i = k; i < tokens.size(); ++i) {
    if (tokens[i].text == "(") {
      if (kind != "CHECK") item.columns = nameList(tokens, i);
      break;
    }
  }
  return item;
}

}  // namespace

// True when `text` names `ident` anywhere (an identifier token, either quoted
// or bare; SQLite names are case-insensitive).
bool mentions(std::string_view text, std::string_view ident) {
  for (const auto& t : tokenize(text))
    if ((t.kind == Token::Word || t.kind == Token::Quoted) && iequals(unquote(t), ident))
      return true;
  return false;
}

bool hasKeyword(std::string_view text, std::string_view kw) {
  for (const auto& t : tokenize(text))
    if (isKeyword(t, kw)) return true;
  return false;
}

bool hasTopKeyword(std::string_view text, std::string_view kw) {
  for (const auto& t : tokenize(text))
    if (t.depth == 0 && isKeyword(t, kw)) return true;
  return false;
}

// ------------------------------------------------------------- CREATE TABLE text

TableSql parseCreateTable(std::string_view sql) {
  auto tokens = tokenize(sql);
  auto open =
      std::find_if(tokens.begin(), tokens.end(), [](const Token& t) { return t.text == "("; });
  if (open == tokens.end()) throw UsageError(fmt::format("cannot parse table definition: {}", sql));
  TableSql out;
  std::size_t itemStart = open->end;
  for (auto it = open + 1; it != tokens.end(); ++it) {
    if ((it->depth == 1 && it->text == ",") || (it->depth == 0 && it->text == ")")) {
      out.items.push_back(parseItem(sql.substr(itemStart, it->begin - itemStart)));
      itemStart = it->end;
      if (it->text == ")") {
        out.tail = trim(sql.substr(it->end));
        return out;
      }
    }
  }
  throw UsageError(fmt::format("cannot parse table definition: {}", sql));
}

std::string renderCreateTable(const sql::Dialect& d, const std::string& name, const TableSql& t) {
  std::string out = "CREATE TABLE " + quote(d, name) + " (";
  bool first = true;
  for (const auto& item : t.items) {
    if (!first) out += ", ";
    first = false;
    out +=
        item.column ? quote(d, item.name) + (item.text.empty() ? "" : " " + item.text) : item.text;
  }
  out += ")";
  if (!t.tail.empty()) out += " " + t.tail;
  return out;
}

// The span of a column definition's REFERENCES clause (with a CONSTRAINT
// name right before it), or nullopt.
std::optional<std::pair<std::size_t, std::size_t>> referencesSpan(std::string_view def) {
  auto tokens = tokenize(def);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].depth != 0 || !isKeyword(tokens[i], "REFERENCES")) continue;
    std::size_t begin = tokens[i].begin;
    if (i >= 2 && isKeyword(tokens[i - 2], "CONSTRAINT")) begin = tokens[i - 2].begin;
    std::size_t j = i + 1;
    std::size_t end = def.size();
    while (j < tokens.size()) {
      const Token& t = tokens[j];
      if (t.depth > 0 || t.text == "(" || t.text == ")" || (isName(t) && j == i + 1)) {
        ++j;
        continue;
      }
      if (isKeyword(t, "ON")) {
        j += 2;  // ON DELETE|UPDATE
        if (j < tokens.size() && (isKeyword(tokens[j], "SET") || isKeyword(tokens[j], "NO"))) ++j;
        ++j;
        continue;
      }
      if (isKeyword(t, "MATCH")) {
        j += 2;
        continue;
      }
      if (isKeyword(t, "DEFERRABLE") || isKeyword(t, "INITIALLY") || isKeyword(t, "DEFERRED") ||
          isKeyword(t, "IMMEDIATE") ||
          (isKeyword(t, "NOT") && j + 1 < tokens.size() &&
           isKeyword(tokens[j + 1], "DEFERRABLE"))) {
        ++j;
        continue;
      }
      end = t.begin;
      break;
    }
    return std::make_pair(begin, end);
  }
  return std::nullopt;
}

// A column definition without its top-level UNIQUE (and a CONSTRAINT name before it).
std::string withoutUnique(std::string_view def) {
  auto tokens = tokenize(def);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].depth != 0 || !isKeyword(tokens[i], "UNIQUE")) continue;
    std::size_t begin = tokens[i].begin;
    if (i >= 2 && isKeyword(tokens[i - 2], "CONSTRAINT")) begin = tokens[i - 2].begin;
    return trim(std::string(def.substr(0, begin)) + " " + std::string(def.substr(tokens[i].end)));
  }
  return std::string(def);
}

// Whether a column definition's text names a constraint: CONSTRAINT <name> before it.
std::string columnConstraintName(std::string_view def, std::string_view keyword) {
  auto tokens = tokenize(def);
  for (std::size_t i = 2; i < tokens.size(); ++i)
    if (tokens[i].depth == 0 && isKeyword(tokens[i], keyword) &&
        isKeyword(tokens[i - 2], "CONSTRAINT"))
      return unquote(tokens[i - 1]);
  return {};
}

}  // namespace junction::sqlite
