-- wrk script: closed-loop autosaves for the exam-day benchmark (tests/bench/bench_exam_day_load.py).
-- Arguments after "--": <candidates file> <csrf token> <token|session> [seq base]. "session"
-- leaves the exam save token out (the session path, for comparison); seqs start above the base. Each line of the file:
--   <attempt id> <session key> <exam save token> <position>:<options>,<position>:<options>,...
-- Every request is the next candidate's next save (one answer, seq + 1), so no save is stale.
local cands, nextc, csrf, path, session_only, seq_base = {}, 0, nil, nil, false, 0

function init(args)
  path, csrf, session_only, seq_base = args[1], args[2], args[3] == "session", tonumber(args[4] or "0")
  for line in io.lines(path) do
    local aid, key, token, positions = line:match("^(%d+) (%S+) (%S+) (%S+)$")
    local pos = {}
    for p, n in positions:gmatch("(%d+):(%d+)") do pos[#pos + 1] = { p, tonumber(n) } end
    cands[#cands + 1] = { aid = aid, key = key, token = token, pos = pos, seq = seq_base }
  end
  nextc = math.random(#cands)
end

function request()
  nextc = nextc % #cands + 1
  local c = cands[nextc]
  c.seq = c.seq + 1
  local p = c.pos[math.random(#c.pos)]
  local body = '{"answers":[{"position":' .. p[1] .. ',"seq":' .. c.seq .. ',"value":[' .. math.random(0, p[2] - 1) .. ']}]}'
  local headers = {
    ["Content-Type"] = "application/json",
    ["Cookie"] = "sessionid=" .. c.key .. "; csrftoken=" .. csrf,
    ["X-CSRFToken"] = csrf,
  }
  if not session_only then headers["X-Exam-Token"] = c.token end
  return wrk.format("POST", "/programs/energy/exam/api/attempts/" .. c.aid .. "/answers", headers, body)
end
