"""The reports app's answers to what the apps below it announce."""


def on_applications_imported(sender, *, agency, years, **kwargs) -> list[dict]:
    """For each year just brought in that also has an imported annual report, each cell where
    the records and that report disagree, as {"year", "table", "row", "column", "report",
    "records"} (`gongkai import-applications` prints them as warnings)."""
    from .annual import records_against_imported  # not at start-up: annual pulls in PDF libraries

    return [
        {"year": year, **cell} for year in sorted(years) for cell in records_against_imported(agency, year)
    ]
