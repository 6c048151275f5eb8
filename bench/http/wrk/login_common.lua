-- What login_put.lua and soak_mix.lua share: wrk thread i logs in as user i
-- of the data file (BENCH_LOGIN_DATA, written by the calling script), keeps
-- the token of its last login, and updates only that user's reading-list
-- rows, cycling through them and flipping `read` each time, so every PUT
-- really changes the row (Sequelize skips the UPDATE when nothing changed).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
local users = dofile(os.getenv("BENCH_LOGIN_DATA"))

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("uidx", threads)
end

local user, login_body
local next_row = 0
token = nil

function init(args)
  user = users[((uidx - 1) % #users) + 1]
  login_body = string.format('{"username":"%s","password":"%s"}', user.username, user.password)
end

function login_request()
  return wrk.format("POST", "/api/login", { ["Content-Type"] = "application/json" }, login_body)
end

function put_request()
  next_row = (next_row % #user.rows) + 1
  local row = user.rows[next_row]
  row.read = not row.read
  return wrk.format("PUT", "/api/readinglists/" .. row.id,
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token },
    string.format('{"read":%s}', tostring(row.read)))
end

function response(status, headers, body)
  if status == 200 then
    local t = body:match('"token"%s*:%s*"([^"]+)"')
    if t then token = t end
  end
end
