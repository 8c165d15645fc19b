-- Comment creation through the API, as a frontend does it: take a token from
-- <post>/comments/token/, then POST the comment with it.
-- Arguments (after --): the token path, the POST path, and either a token prefix
-- (the token answer as a JSON object without its closing brace, when run.py found a
-- token can be used more than once) or nothing (a fresh token per comment).
local token_path, post_path, fixed_prefix
local prefixes = {}
local counter = 0
bench_created = 0
bench_tokens = 0

function init(args)
  token_path, post_path = args[1], args[2]
  if args[3] ~= nil and args[3] ~= "" then
    fixed_prefix = args[3]
  end
  -- Distinct per thread, so that no two comments are the same text.
  counter = math.random(1, 1000000) * 1000
end

function request()
  local prefix = fixed_prefix or table.remove(prefixes)
  if prefix == nil then
    return wrk.format("GET", token_path, { ["Accept"] = "application/json" })
  end
  counter = counter + 1
  local sep = prefix:match("{%s*$") and "" or ","
  local body = prefix .. sep .. string.format(
    '"author_name": "Lecteur %d", "author_email": "bench-%d@example.net", '
      .. '"body": "Merci pour cet article, message %d."}', counter, counter, counter)
  return wrk.format("POST", post_path,
    { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }, body)
end

function response(status, headers, body)
  if status == 201 or status == 202 then
    bench_created = bench_created + 1
  elseif status == 200 and fixed_prefix == nil and body:match("^%s*{") then
    bench_tokens = bench_tokens + 1
    table.insert(prefixes, (body:gsub("}%s*$", "")))
  end
end
