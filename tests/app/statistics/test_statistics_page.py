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
