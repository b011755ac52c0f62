"""``python -m publisher_restore`` runs the CLI."""

from publisher_restore.cli.main import main

main()
