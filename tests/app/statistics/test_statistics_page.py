"""The statistics are computed once per process every few minutes, not on every request."""

from __future__ import annotations


def test_statistics_are_reused_within_the_cache_time(app, client, demo, count_queries):
    app.config["STATISTICS_CACHE_SECONDS"] = 300
    try:
        with count_queries() as first:
            assert client.get("/statistik").status_code == 200
        with count_queries() as second:
            again = client.get("/statistik")
        assert again.status_code == 200
        assert second.count < first.count - 5  # the aggregates are not run again
        english = client.get("/statistik?lang=en").get_data(as_text=True)
        assert '<html lang="en" dir="ltr">' in english  # one cached entry serves every language
    finally:
        app.config["STATISTICS_CACHE_SECONDS"] = 0
        from portal.statistics import report

        report._cache.clear()


def test_without_cache_time_every_request_computes(app, client, demo, count_queries):
    assert app.config["STATISTICS_CACHE_SECONDS"] == 0
    with count_queries() as first:
        client.get("/statistik")
    with count_queries() as second:
        client.get("/statistik")
    assert second.count == first.count


def test_stale_figures_are_served_at_once_and_recomputed_in_the_background(app, client, demo, monkeypatch):
    """After the cache time, a visitor does not wait for the aggregation: the old figures come
    back at once and exactly one recomputation starts, however many requests arrive meanwhile."""
    from portal.statistics import report

    started: list[tuple[object, ...]] = []
    monkeypatch.setattr(report, "start_background", lambda target, *args: started.append((target, *args)))
    clock = [1000.0]
    monkeypatch.setattr(report.time, "monotonic", lambda: clock[0])
    app.config["STATISTICS_CACHE_SECONDS"] = 300
    try:
        assert client.get("/statistik").status_code == 200  # the first request computes
        clock[0] += 301
        assert client.get("/statistik").status_code == 200
        assert client.get("/statistik").status_code == 200
        assert len(started) == 1, "one recomputation, not one per request"
        target, refreshed_app, key = started[0]
        assert target is report._refresh and refreshed_app is app
        # When it has finished, the next stale moment starts a new one.
        report._cache[key] = (clock[0], report._cache[key][1])
        report._refreshing.discard(key)
        clock[0] += 301
        client.get("/statistik")
        assert len(started) == 2
    finally:
        app.config["STATISTICS_CACHE_SECONDS"] = 0
        report._cache.clear()
        report._refreshing.clear()
