// The bloglist models (the course's models/index.js): users, blogs, the
// readinglists junction and server-side sessions, with their associations.
#pragma once

#include "junction/database.hpp"

namespace bloglist {

struct Models {
  junction::Model& user;
  junction::Model& blog;
  junction::Model& readinglist;
  junction::Model& session;
};

// Defines the four models and their associations on `db`. The schema itself
// comes from migrations/ (never sync()).
Models defineModels(junction::Database& db);

// The current calendar year (UTC): blogs' `year` may not be later.
int currentYear();

}  // namespace bloglist
