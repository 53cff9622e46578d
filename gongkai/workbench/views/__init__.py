"""The staff workbench: thin views that read through selectors and write through
gongkai.publishing.services (STYLE.md, habit 5)."""
