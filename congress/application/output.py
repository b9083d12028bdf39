"""What a face says when its own output (stdout, a pipe) fails: the reason in Vietnamese, as for every
file the register writes (congress.store.files.reason)."""
from __future__ import annotations


def failure_reason(error: OSError) -> str:
    from congress.store.files import reason

    return reason(error)
