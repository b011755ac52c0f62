"""The dashboard's protections: password hashes, sessions, one-time links, rate limits, headers.

Each module does one job and knows nothing of the pages; ``dashboard.auth`` puts them
together as the dependencies of the dashboard's router (and of nothing else).
"""
