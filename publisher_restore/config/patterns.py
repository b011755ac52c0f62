"""The glob language of the ``Include``/``Exclude`` settings, matched against site-relative paths.

``*`` and ``?`` stay inside one path segment, ``[abc]`` is a character class, ``**`` spans
any number of segments.  A pattern that matches a folder also matches everything below
it (``wwwroot/fonts`` takes in ``wwwroot/fonts/a.woff2``), as in ``.gitignore``.
Matching is case-sensitive, like the file systems Umbraco sites run on in Linux containers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_GLOB_CHARS = re.compile(r"[*?\[]")


class PathMatcher:
    """Tests site-relative ``/``-separated paths against a list of glob patterns."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(patterns)
        self._regexes = tuple(_compile(pattern) for pattern in self.patterns)

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def matches(self, rel_path: str) -> bool:
        """True when any pattern matches the path or one of its parent folders."""
        return any(regex.fullmatch(rel_path) for regex in self._regexes)

    def walk_starts(self) -> list[str]:
        """For each pattern, the longest leading folder path free of glob characters."""
        starts = []
        for pattern in self.patterns:
            fixed: list[str] = []
            for segment in pattern.strip("/").split("/"):
                if _GLOB_CHARS.search(segment):
                    break
                fixed.append(segment)
            starts.append("/".join(fixed))
        return starts


def _compile(pattern: str) -> re.Pattern[str]:
    segments = [segment for segment in pattern.strip("/").split("/") if segment]
    regex = ""
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            regex += ".+" if last else "(?:[^/]+/)*"
        else:
            regex += _segment_regex(segment) + ("" if last else "/")
    return re.compile(regex + "(?:/.+)?", re.S)


def _segment_regex(segment: str) -> str:
    out = []
    index = 0
    while index < len(segment):
        char = segment[index]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and (close := segment.find("]", index + 2)) != -1:
            body = segment[index + 1 : close]
            negate = body.startswith("!")
            body = re.escape(body[1:] if negate else body).replace("\\-", "-")
            out.append(f"[{'^' if negate else ''}{body}]")
            index = close
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)
