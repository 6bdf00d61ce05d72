-- wrk script: GETs the paths of a file (one a line) in turn, each thread
-- from a random start. docs/DEPLOY.md "Capacity" uses it:
--   wrk -t2 -c64 -d20s -s bench/wrk/paths.lua http://127.0.0.1:PORT -- bench/wrk/search_paths.txt
-- search_paths.txt: 196 ZIPs drawn (seed 16) from the shipped database's
-- addresses (the 4 of 200 the gazetteer does not know left out), with the
-- page's usual filters in turn.
local paths = {}
local i = 0

function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  i = math.random(#paths)
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
