import sys

from zikao_desk.cli import main

sys.exit(main())
