"""`python -m bench` runs the search benchmark; `python -m bench scan` the pre-scan benchmark."""

import sys

if __name__ == "__main__":  # not when a spawned build process imports it
    if sys.argv[1:2] == ["scan"]:
        from .scan_bench import main as scan_main

        scan_main(sys.argv[2:])
    else:
        from .runner import main

        main()
