"""The web server of one site: the restore dashboard and, beside it, the publisher API.

Layout::

    app.py          create_app(runtime, settings, routers=...): composes everything below
    server.py       binds the socket (loopback rules), runs uvicorn
    settings.py     uSync:Restore:Dashboard (PasswordHash, SessionMinutes)
    jobs.py         long work as jobs with live progress (the operations' Progress protocol)
    formatting.py   dates and sizes for people
    security/       password hashes, sessions, one-time links, rate limits, headers
    dashboard/      the pages: sign-in (public), then everything behind a session + CSRF
    publisher_api/  the publisher API (issue 8): ``build_router(runtime)``, routes under
                    ``/api/publisher/`` with their own HMAC authentication (``publisher.auth``)
    templates/ static/   Jinja2 templates, one stylesheet, one script (package data)

``cli/serve.py`` passes ``routers=[build_router(runtime)]`` to ``create_app``.  The API is
not on the dashboard's router and does not use ``dashboard.auth``: the session and CSRF
dependencies sit on the dashboard's router only, so a dashboard session never authorises
the API and a publisher signature never opens the dashboard (``tests/web/test_separation.py``
and ``tests/publisher/test_http.py`` hold both).
"""
