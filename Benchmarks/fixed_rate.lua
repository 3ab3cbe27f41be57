-- wrk at a fixed rate: every connection waits `interval` ms after each response before its next request,
-- so that C connections ask for about C * 1000 / interval requests per second while responses stay fast.
-- (wrk has no open-loop mode; Debian has no wrk2. The achieved rate is printed beside the latency.)
-- Usage: wrk -t2 -c20 -d20s --latency -s Benchmarks/fixed_rate.lua URL -- 20
local interval = 20
function init(args) interval = tonumber(args[1] or "20") end
function delay() return interval end
