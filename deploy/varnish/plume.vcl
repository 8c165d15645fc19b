# Plume behind Varnish 7 (Debian 12: packages varnish and varnish-modules, for xkey).
#
#   varnishd -a :80 -f /etc/varnish/plume.vcl -s malloc,256m
#
# Anonymous GET/HEAD answers are kept as long as Plume's Cache-Control says
# (s-maxage), served stale while refreshed in the background
# (stale-while-revalidate), and served stale while Plume is down
# (stale-if-error, as grace). A request with credentials or a private cookie
# (the same list as PLUME_PRIVATE_COOKIES) and every other method go to Plume.
# Plume purges by surrogate key: PURGE with an `xkey-purge: post-42 home ...`
# header, from the addresses in `purgers` (set PLUME_PURGE_URLS=http://this-host/).

vcl 4.1;

import std;
import xkey;

# Plume's gunicorn. Several app servers: one backend each and a directors.round_robin().
backend plume {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    # Sick after two failed probes out of three: stale copies are then served for as
    # long as their stale-if-error allows.
    .probe = {
        .url = "/robots.txt";
        .interval = 2s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
        .initial = 2;
    }
}

# Who may purge: the app servers and workers.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "An xkey-purge header is required"));
        }
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.X-Purged));
    }
    unset req.http.X-Cache;
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)(sessionid|messages|comment_author|comment_edit)=") {
        return (pass);
    }
    # Other cookies (the admin's csrftoken, analytics) change nothing on a public answer.
    unset req.http.Cookie;
    if (req.http.X-Plume-Refresh) {
        # Restarted by vcl_hit: the stale copy is too old to serve, fetch a fresh one.
        set req.grace = 0s;
    }
    return (hash);
}

sub vcl_hit {
    # Past its s-maxage and its stale-while-revalidate but within its stale-if-error:
    # served stale only while Plume is sick. Healthy, it is fetched again (the restart
    # looks it up without grace).
    if (obj.ttl < 0s && req.restarts == 0 && std.healthy(req.backend_hint)
        && obj.ttl + std.duration(obj.http.X-Plume-SWR + "s", 0s) < 0s) {
        set req.http.X-Plume-Refresh = "1";
        return (restart);
    }
}

sub vcl_pass {
    set req.http.X-Cache = "PASS";
}

sub vcl_backend_response {
    # A refresh in the background that fails keeps the stale copy (stale-if-error).
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Only what Plume says shared caches may keep: never a cookie, a private or per-user answer.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "(^|[ ,])public($|[ ,])"
        || beresp.http.Cache-Control ~ "private|no-cache|no-store") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # beresp.ttl already comes from s-maxage (else max-age).
    set beresp.http.X-Plume-SWR = "0";
    if (beresp.http.Cache-Control ~ "stale-while-revalidate=[0-9]+") {
        set beresp.http.X-Plume-SWR = regsub(beresp.http.Cache-Control, "^.*stale-while-revalidate=([0-9]+).*$", "\1");
    }
    set beresp.grace = std.duration(beresp.http.X-Plume-SWR + "s", 0s);
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(regsub(beresp.http.Cache-Control, "^.*stale-if-error=([0-9]+).*$", "\1") + "s", beresp.grace);
    }
    return (deliver);
}

sub vcl_backend_error {
    if (bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_deliver {
    if (!req.http.X-Cache) {
        set req.http.X-Cache = "MISS";
        if (obj.hits > 0) {
            set req.http.X-Cache = "HIT";
        }
    }
    set resp.http.X-Cache = req.http.X-Cache;
    # For Varnish only; Surrogate-Key and Cache-Tag stay for a CDN in front.
    unset resp.http.xkey;
    unset resp.http.X-Plume-SWR;
}
