"""``python -m grassroots`` runs the command-line interface."""

from grassroots.cli.main import main

main()
