"""The server's `framings` program (cli.py): admin commands on $FRAMINGS_DB, and the remote
ones of the client distribution (clients/python) on the same parser. It may import the store,
fixtures, config and auth, and framings_client.cli; the client imports nothing from here."""
