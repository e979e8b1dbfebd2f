"""``python -m grassroots`` runs the command-line interface."""

from grassroots.cli.entry import main

main()
