-- The soak's mix (scripts/soak.sh): per wrk thread, in a cycle of eight
-- requests, six reads (a search, a user with 100 readings, the authors),
-- one login and one write (PUT /api/readinglists/:id with the login's
-- token, flipping `read`). Users and rows as login_put.lua has them.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
local users = dofile(os.getenv("BENCH_LOGIN_DATA"))

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("uidx", threads)
end

local user, login_body, token
local step, next_row = 0, 0
local json = { ["Content-Type"] = "application/json" }
local reads = { "/api/blogs?search=react", "/api/users/2", "/api/authors" }

function init(args)
  user = users[((uidx - 1) % #users) + 1]
  login_body = string.format('{"username":"%s","password":"%s"}', user.username, user.password)
end

function request()
  step = step + 1
  local k = step % 8
  if token == nil or k == 6 then
    return wrk.format("POST", "/api/login", json, login_body)
  end
  if k == 7 then
    next_row = (next_row % #user.rows) + 1
    local row = user.rows[next_row]
    row.read = not row.read
    return wrk.format("PUT", "/api/readinglists/" .. row.id,
      { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token },
      string.format('{"read":%s}', tostring(row.read)))
  end
  return wrk.format("GET", reads[(k % #reads) + 1])
end

function response(status, headers, body)
  if status == 200 then
    local t = body:match('"token"%s*:%s*"([^"]+)"')
    if t then token = t end
  end
end
