// PostgreSQL's schema editor (src/schema/editor.hpp), registered with its dialect
// in src/dialects/builtin.cpp.
#pragma once

#include "schema/editor.hpp"

namespace junction::postgres {

const schema::SchemaEditor& schemaEditor();

}  // namespace junction::postgres
