"""publisher-restore: restore points and damaging-change protection for uSync sites."""

from __future__ import annotations

__version__ = "0.1.0"
