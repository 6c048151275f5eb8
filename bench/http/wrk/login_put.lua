-- Scenario (d): POST /api/login, then PUT /api/readinglists/:id with the token
-- from the login, alternating (login_common.lua has the users and rows).
dofile(os.getenv("BENCH_WRK_DIR") .. "/login_common.lua")

local step = 0
function request()
  step = step + 1
  if token == nil or step % 2 == 1 then return login_request() end
  return put_request()
end
