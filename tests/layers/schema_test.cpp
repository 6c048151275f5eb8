// The schema layer's Column, and an ORM Attribute as a Column plus the
// model's own options.
#include <gtest/gtest.h>

#include "junction/data_types.hpp"
#include "junction/errors.hpp"
#include "junction/schema/column.hpp"

using namespace junction;
using namespace junction::DataTypes;

TEST(SchemaColumn, ChainsTheConstraintsBothLayersSpeak) {
  Column c = INTEGER;
  Column ref = c.allowNull(false).references("users").onDelete("cascade").unique("pair");
  EXPECT_EQ(ref.type().kind, sql::ColumnType::Kind::Integer);
  EXPECT_EQ(ref.allowNullOption(), false);
  ASSERT_TRUE(ref.referencesOption());
  EXPECT_EQ(ref.referencesOption()->table, "users");
  EXPECT_EQ(ref.referencesOption()->column, "id");
  EXPECT_EQ(ref.referencesOption()->onDelete, "CASCADE");
  EXPECT_EQ(ref.uniqueKey(), "pair");
  EXPECT_TRUE(c.modelOnlyOption().empty());
  EXPECT_THROW(c.onDelete("CASCADE"), UsageError) << "needs references() first";
  EXPECT_THROW(c.onDelete("EXPLODE").references("t"), UsageError);
  EXPECT_THROW(c.defaultValue(NOW), UsageError) << "NOW needs a DATE";
  EXPECT_EQ(typeLabel(Column(STRING(40)).type()), "STRING(40)");
}

TEST(SchemaColumn, AnAttributeIsAColumnPlusModelOptions) {
  Attribute a = STRING.allowNull(false).validate(isEmail());
  Column plain = STRING.allowNull(false).unique();
  EXPECT_EQ(Attribute(plain).column().isUnique(), true);
  Column fromValidated = a;
  EXPECT_EQ(fromValidated.modelOnlyOption(), "validators")
      << "kept, so that a migration refuses it by name";
  EXPECT_EQ(fromValidated.allowNullOption(), false);
  Column fromField = STRING.field("mail");
  EXPECT_EQ(fromField.modelOnlyOption(), "field()");
  Column bare = STRING.allowNull(false);
  EXPECT_TRUE(bare.modelOnlyOption().empty());
}
