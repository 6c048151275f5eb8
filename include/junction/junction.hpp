// junction/junction.hpp — everything a junction user needs, in one include.
//
//   #include <junction/junction.hpp>
//   using namespace junction;
//   using namespace junction::DataTypes;
#pragma once

#include "junction/config.hpp"
#include "junction/connection.hpp"
#include "junction/data_types.hpp"
#include "junction/database.hpp"
#include "junction/dialects.hpp"
#include "junction/errors.hpp"
#include "junction/instance.hpp"
#include "junction/json.hpp"
#include "junction/model.hpp"
#include "junction/model_class.hpp"
#include "junction/pool.hpp"
#include "junction/query.hpp"
#include "junction/result.hpp"
#include "junction/transaction.hpp"
#include "junction/url.hpp"
#include "junction/validators.hpp"
#include "junction/value.hpp"
