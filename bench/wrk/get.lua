-- GET a random path from a list; a share of the requests carries a signed-in load user's session.
-- wrk ... -s bench/wrk/get.lua URL -- PATHS_FILE SESSIONS_FILE|- SIGNED_IN_SHARE
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
require("common")

local paths, sessions, share

function init(args)
  seed_random()
  paths = read_lines(args[1])
  sessions = read_sessions(args[2])
  share = tonumber(args[3] or "0") or 0
end

function request()
  local headers = {
    ["Accept-Encoding"] = "br, gzip",
    ["Accept-Language"] = "de-DE,de;q=0.9,en;q=0.5",
    ["User-Agent"] = USER_AGENT,
  }
  if #sessions > 0 and math.random() < share then
    headers["Cookie"] = sessions[math.random(#sessions)].cookie
  end
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
