"""The web server of one site: the restore dashboard now, the publisher API beside it next.

Layout::

    app.py          create_app(runtime, settings, routers=...): composes everything below
    server.py       binds the socket (loopback rules), runs uvicorn
    settings.py     uSync:Restore:Dashboard (PasswordHash, SessionMinutes)
    jobs.py         long work as jobs with live progress (the operations' Progress protocol)
    formatting.py   dates and sizes for people
    security/       password hashes, sessions, one-time links, rate limits, headers
    dashboard/      the pages: sign-in (public), then everything behind a session + CSRF
    templates/ static/   Jinja2 templates, one stylesheet, one script (package data)

Adding the publisher API (issue 8): write ``web/publisher_api/`` with a function
``build_router(runtime) -> fastapi.APIRouter`` whose routes live under ``/api/publisher/``
and authenticate every request with its own dependency (the HMAC verifier of
``publisher.auth``), then pass it to ``create_app(..., routers=[build_router(runtime)])``
in ``cli/serve.py``.  Do not add it to the dashboard's router and do not use
``dashboard.auth``: the session and CSRF dependencies sit on the dashboard's router
only, so a dashboard session never authorises the API and a publisher signature never
opens the dashboard (``tests/web/test_separation.py`` holds both).
"""
