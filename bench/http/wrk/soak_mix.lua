-- The soak's mix (scripts/soak.sh): per wrk thread, in a cycle of eight
-- requests, six reads (a search, a user with 100 readings, the authors),
-- one login and one write (PUT /api/readinglists/:id with the login's
-- token, flipping `read`; login_common.lua has the users and rows).
dofile(os.getenv("BENCH_WRK_DIR") .. "/login_common.lua")

local reads = { "/api/blogs?search=react", "/api/users/2", "/api/authors" }
local step = 0
function request()
  step = step + 1
  local k = step % 8
  if token == nil or k == 6 then return login_request() end
  if k == 7 then return put_request() end
  return wrk.format("GET", reads[(k % #reads) + 1])
end
