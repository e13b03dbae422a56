"""Set-up shared by every test: the hypothesis profiles.

Property tests draw their examples at random on a developer's machine (finding new
failures over time) but the same examples on every CI run, so that a red CI run always
means a change broke something: the ``ci`` profile is derandomized and keeps no example
database, and it is loaded whenever the ``CI`` environment variable is set (``.ci/run``
sets it).  ``HYPOTHESIS_PROFILE`` picks a profile by name.  Neither profile has a
deadline: tests never depend on how fast the machine is.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
