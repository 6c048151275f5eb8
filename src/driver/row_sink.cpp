// The engine-independent fallback of Connection::stream().
#include "junction/connection.hpp"

namespace junction {

std::int64_t Connection::stream(std::string_view sql, std::span<const Value> params,
                                RowSink& sink) {
  ResultSet rs = query(sql, params);
  sink.columns(rs.columns);
  const std::size_t width = rs.columns.size();
  for (std::size_t r = 0; r < rs.size(); ++r)
    sink.row(std::span<Value>(rs.values.data() + r * width, width));
  return rs.rowsAffected;
}

}  // namespace junction
