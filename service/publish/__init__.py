"""`framings publish`: keep a MediaWiki current from the API's change feed (docs/wikis.md).

pages (what is published, and the page titles), source (the API: feed and wikitext), wiki (the
wiki's Action API through mwclient), state (the state page on the wiki, and its lock), run (one
run), cli (the subcommand). Reads the API over HTTP only; imports the representations for the
templates and the page titles they link to.
"""
