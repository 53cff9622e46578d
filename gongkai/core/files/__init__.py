"""File machinery shared by the apps that take files, below them all: type by content and
bombs (kinds.py), text extraction in a budgeted child (extract.py)."""
