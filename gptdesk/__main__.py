"""``python -m gptdesk``: the same entry point as the ``gptdesk`` command."""

from gptdesk.cli import main

raise SystemExit(main())
