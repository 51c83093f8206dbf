-- The support POST of signed-in users: a random load user supports a random open proposal.
-- wrk ... -s bench/wrk/support.lua URL -- PROPOSAL_IDS_FILE SESSIONS_FILE
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
require("common")

local ids, sessions

function init(args)
  seed_random()
  ids = read_lines(args[1])
  sessions = read_sessions(args[2])
end

function request()
  local user = sessions[math.random(#sessions)]
  local headers = {
    ["Cookie"] = user.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept-Encoding"] = "br, gzip",
    ["User-Agent"] = USER_AGENT,
  }
  local path = "/vorschlaege/" .. ids[math.random(#ids)] .. "/unterstuetzen"
  return wrk.format("POST", path, headers, "csrf_token=" .. user.token)
end

-- The first refused request of each thread is shown (status and page title), so a failing run
-- says why instead of only counting non-2xx/3xx answers.
local shown = false
function response(status, headers, body)
  if status >= 400 and not shown then
    shown = true
    io.stderr:write(string.format("support POST answered %d: %s\n", status, body:match("<title>(.-)</title>") or ""))
  end
end
