from __future__ import annotations

from mockbi.cli import main

raise SystemExit(main())
