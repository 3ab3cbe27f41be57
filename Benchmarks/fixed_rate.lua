-- wrk at a fixed rate: each connection pauses a random 0–2 × `interval` ms (mean `interval`) after each
-- response, so that C connections ask for about C * 1000 / interval requests per second, spread out rather
-- than in step. wrk has no open-loop mode and Debian has no wrk2: the achieved rate is printed beside the
-- latency, which is measured from each request's own send (no correction for coordinated omission).
-- Usage: wrk -t2 -c25 -d20s --latency -s Benchmarks/fixed_rate.lua URL -- 25
local interval = 25
function init(args)
  interval = tonumber(args[1] or "25")
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end
function delay() return math.random(0, 2 * interval) end
