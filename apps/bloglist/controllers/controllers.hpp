// Route groups (the course's controllers/*.js). Each mounts its routes on
// the app; handlers use the models through Services.
#pragma once

#include "http/app.hpp"
#include "services.hpp"

namespace bloglist {

// Every route group below, and the testing routes when s.testMode.
void mountApi(http::App& app, const Services& s);

void mountBlogs(http::App& app, const Services& s);
void mountUsers(http::App& app, const Services& s);
void mountAuthors(http::App& app, const Services& s);
void mountLogin(http::App& app, const Services& s);
void mountReadinglists(http::App& app, const Services& s);
void mountHealth(http::App& app, const Services& s);
// Only in test mode (the course's part 5 end-to-end tests use it).
void mountTesting(http::App& app, const Services& s);

// A user as the API shows it: never the password hash.
junction::Json publicUser(const junction::Instance& user);

}  // namespace bloglist
