# Newsroom's front cache: Varnish 7 with varnish-modules' xkey (Debian's
# varnish and varnish-modules packages).
#
# Readers' pages are kept for as long as the app's s-maxage says and dropped
# by surrogate key when something on them changes: the app sends
# `PURGE /` with an `xkey-purge: s12 home ...` header (frontcache/backends.py)
# after every change readers would see. The desk, previews, the read counter
# and anyone with a session go straight to the app.
#
# site.vcl, next to this file, names the app servers (backend default, with
# its health probe) and who may purge (acl purgers): `bin/stack` writes it
# for `make up`, the tests write their own.

vcl 4.1;

import std;
import xkey;

include "site.vcl";

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not allowed to purge"));
        }
        # A soft purge (renames, captions, rankings): the old copy is served
        # once more while the new one is fetched, for as long as grace allows.
        if (req.http.xkey-softpurge) {
            set req.http.n-gone = xkey.softpurge(req.http.xkey-softpurge);
            return (synth(200, "Softly purged " + req.http.n-gone));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Say which keys in xkey-purge"));
        }
        # A hard purge: nothing purged is ever served again, not even stale.
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    # Metrics are for the scraper, which asks each app server directly.
    if (req.url ~ "^/metrics") {
        return (synth(404, "Not Found"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The desk, previews, language choice, the read counter, health checks.
    if (req.url ~ "^/(admin|preview|i18n)/"
        || req.url ~ "^/[a-z]{2}/reads/"
        || req.url ~ "^/(healthz|readyz)") {
        return (pass);
    }
    # Someone with a session (the desk's people) gets the app's own answer.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Readers' other cookies (analytics of other sites, consent is kept in
    # the browser) mean nothing to a reader's page: one copy for all.
    unset req.http.Cookie;
    # Campaign parameters do not change a page: one copy for all of them.
    if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid)=") {
        set req.url = regsuball(req.url, "(utm_[a-z]+|fbclid|gclid)=[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]$", "");
    }
    # Static files have brotli copies (WhiteNoise makes them at collectstatic):
    # a browser that takes br gets them, kept as a copy of their own. Varnish
    # itself only knows gzip: past vcl_recv it asks the app for gzip alone.
    # Pages stay gzip: one copy each, gunzipped for the rare client without.
    unset req.http.X-Brotli;
    if (req.url ~ "^/static/"
        && req.http.Accept-Encoding ~ "(^|,)\s*br\s*(,|;|$)"
        && req.http.Accept-Encoding !~ "(^|,)\s*br\s*;\s*q=0(\.0*)?\s*(,|$)") {
        set req.http.X-Brotli = "br";
    }
    # A stale copy for a minute while a fresh one is fetched; for as long as
    # the app keeps it (a day) when the app is down.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 60s;
    }
    return (hash);
}

sub vcl_hash {
    if (req.http.X-Brotli) {
        hash_data("br");
    }
    # Then the built-in hash: the URL and host.
}

sub vcl_backend_fetch {
    if (bereq.http.X-Brotli) {
        set bereq.http.Accept-Encoding = "br";
    }
    unset bereq.http.X-Brotli;
}

sub vcl_backend_response {
    # Drawn while a purge of something on it went by, maybe from the old
    # data (the app says so, and sends it no-store): ask again, now that the
    # purge is done, for everyone waiting on this page. Past the retries the
    # no-store answer is served and not kept; the next reader fetches anew.
    if (beresp.http.Drawn-Before-Purge && bereq.retries < 3) {
        return (retry);
    }
    unset beresp.http.Drawn-Before-Purge;
    # What the page shows, for purges by key.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # The app says what may be shared; an answer without Cache-Control was
    # not meant for a shared cache.
    if (!beresp.http.Cache-Control) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # stale-if-error: kept past its lifetime, served only when the app is down.
    if (beresp.http.Cache-Control ~ "stale-if-error") {
        set beresp.grace = 24h;
    }
}

sub vcl_deliver {
    # The keys are ours; the reader's browser needs none of them.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
