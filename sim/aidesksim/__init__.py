"""aidesksim: a local simulator of the AiAssist and AI Gate services.

Standard library only.  See docs/protocol.md for the wire format.
"""

VERSION = "0.1.0"
