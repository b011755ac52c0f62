"""The web server of one site.

``publisher_api/``: the publisher API (push and pull over HTTP, every request signed with
HMAC-SHA256, ``publisher.auth``), a router of its own with its own authentication.  The
restore dashboard (issue 9) mounts beside it in the same ASGI app; a dashboard session
never authorises the API, and a publisher signature never opens the dashboard.
"""
