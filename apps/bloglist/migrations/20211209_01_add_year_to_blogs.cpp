// Exercise 13.18: the year a blog was written (validated by the model:
// 1991 up to the current year).
#include "junction/data_types.hpp"
#include "junction/migrate/migration.hpp"
#include "junction/migrate/query_interface.hpp"

namespace {

using namespace junction::DataTypes;
using junction::migrate::QueryInterface;

const junction::migrate::RegisterMigration kMigration{
    "20211209_01_add_year_to_blogs",
    [](QueryInterface& qi) { qi.addColumn("blogs", "year", INTEGER); },
    [](QueryInterface& qi) { qi.removeColumn("blogs", "year"); }};

}  // namespace
