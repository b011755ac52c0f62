"""Azure Blob Storage for publisher-restore restore points (``uSync:Restore:Storage:Azure``)."""

from __future__ import annotations

__version__ = "0.1.0"
