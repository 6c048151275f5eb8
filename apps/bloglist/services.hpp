// What every controller and middleware shares: the database, the models,
// the token signer and the run mode. Built once in main(), then read-only.
#pragma once

#include "auth/tokens.hpp"
#include "models/models.hpp"

namespace bloglist {

struct Services {
  junction::Database& db;
  Models models;
  TokenSigner signer;
  bool testMode = false;
  SessionPolicy sessions;
};

}  // namespace bloglist
