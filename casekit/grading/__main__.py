"""``python -m casekit.grading``: see :mod:`casekit.grading`."""

from . import _main

raise SystemExit(_main())
