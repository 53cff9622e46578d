import sys

from gongkai.cli import main

sys.exit(main())
