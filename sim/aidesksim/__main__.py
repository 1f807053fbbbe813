"""Allow `python3 -m aidesksim`."""

import sys

from .cli import main

sys.exit(main())
