-- wrk driver for scripts/load_test.sh: POSTs SPARQL queries to /query in
-- turn, counts replies that are not 2xx or have no result rows, and prints
-- one machine-readable line at the end.
--
-- Usage: wrk ... -s queries.lua http://HOST:PORT/query -- a.rq b.rq ...
-- (with no files, one lookup of a county by its code).

local queries = {}
local n = 0
-- Globals, so that done() can read them from each thread.
bad_status, empty = 0, 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for _, path in ipairs(args) do
    local f = assert(io.open(path, "r"))
    table.insert(queries, f:read("*a"))
    f:close()
  end
  if #queries == 0 then
    queries[1] = 'SELECT ?name WHERE { ?c zhkg:divisionCode "130529" ; rdfs:label ?name }'
  end
end

function request()
  n = n + 1
  local q = queries[(n % #queries) + 1]
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/sparql-query",
    ["Accept"] = "text/csv",
  }, q)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    bad_status = bad_status + 1
  elseif not body:find("\n.", 1) then
    -- CSV: a header line and at least one row.
    empty = empty + 1
  end
end

function done(summary, latency, requests)
  local bad, no_rows = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("bad_status")
    no_rows = no_rows + t:get("empty")
  end
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "LOAD requests=%d seconds=%.2f rps=%.1f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f " ..
    "connect=%d read=%d write=%d timeout=%d non2xx=%d no_rows=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, bad, no_rows))
end
