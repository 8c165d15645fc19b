-- A plain GET of the URL given to wrk, as an anonymous reader's browser or frontend would.
wrk.headers["Accept-Language"] = "fr"
