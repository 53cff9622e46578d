"""`python -m bench` runs the search benchmark; `python -m bench scan` the pre-scan benchmark;
`python -m bench prescan` the pre-scan's precision and recall per kind on realistic documents;
`python -m bench applications` the disclosure-on-application benchmark; `python -m bench reports`
the annual-report benchmark; `python -m bench import` the document import (`import-documents`);
`python -m bench load` the portal under load (Locust; bench/load.py); `python -m bench pages` the
catalogue, directory, feeds, sitemap and the most common phrase at scale (bench/pages.py)."""

import sys

if __name__ == "__main__":  # not when a spawned build process imports it
    if sys.argv[1:2] == ["scan"]:
        from .scan_bench import main as scan_main

        scan_main(sys.argv[2:])
    elif sys.argv[1:2] == ["prescan"]:
        from .prescan import main as prescan_main

        prescan_main(sys.argv[2:])
    elif sys.argv[1:2] == ["applications"]:
        from .applications import main as applications_main

        applications_main(sys.argv[2:])
    elif sys.argv[1:2] == ["import"]:
        from .import_bench import main as import_main

        import_main(sys.argv[2:])
    elif sys.argv[1:2] == ["load"]:  # before anything else is imported: Locust patches with gevent
        from .load import main as load_main

        load_main(sys.argv[2:])
    elif sys.argv[1:2] == ["pages"]:
        from .pages import main as pages_main

        pages_main(sys.argv[2:])
    elif sys.argv[1:2] == ["reports"]:
        from .reports import main as reports_main

        reports_main(sys.argv[2:])
    else:
        from .runner import main

        main()
