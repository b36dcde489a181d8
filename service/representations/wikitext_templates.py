"""The MediaWiki templates that `?format=wiki` calls, which `framings publish` installs.

Template name -> its wikitext. They use the ParserFunctions extension (#if, #ifexist, #ifeq),
which Debian's MediaWiki ships and most wikis enable. Rows of the infobox are HTML table tags,
so no parameter needs escaping of pipes inside #if. The infobox puts every published page in
[[Category:Framings]], and a withdrawn one in [[Category:Framings withdrawn]].
"""

INFOBOX_ROWS = (
    ("kind", "Kind"),
    ("id", "Id"),
    ("status", "Status"),
    ("credence", "Credence"),
    ("last_reviewed", "Last reviewed"),
    ("us_export_status", "US export status"),
    ("date", "Date"),
    ("scorer", "Scorer"),
    ("favoured", "Favoured by"),
    ("version", "Version"),
    ("recorded", "Recorded"),
)


def infobox() -> str:
    rows = "".join(  # on one line: blank lines inside a table become empty paragraphs
        f"{{{{#if:{{{{{{{name}|}}}}}}|<tr><th>{label}</th><td>{{{{{{{name}}}}}}}</td></tr>}}}}"
        for name, label in INFOBOX_ROWS
    )
    return (
        '<includeonly><table class="wikitable framings-infobox" style="float:right; '
        'clear:right; margin:0 0 1em 1em; max-width:24em;">'
        "<caption>{{{title|}}}</caption>"
        f"{rows}"
        "{{#if:{{{url|}}}|<tr><th>Permanent URL</th><td>[{{{url}}} this version]</td></tr>}}"
        "</table>[[Category:Framings]]"
        "{{#ifeq:{{{status|}}}|withdrawn|[[Category:Framings withdrawn]]}}</includeonly>"
        "<noinclude>The infobox of a page published from the Framings API (installed by "
        "<code>framings publish</code>). Parameters: title, url, "
        + ", ".join(name for name, _ in INFOBOX_ROWS)
        + ".</noinclude>"
    )


TEMPLATES = {
    "Framings infobox": infobox(),
    "Framings citation": (
        "<includeonly>{{{text|}}} [{{{url}}} {{{url}}}]</includeonly>"
        "<noinclude>A footnote citing a permanent Framings URL. Parameters: text, url."
        "</noinclude>"
    ),
    "Framings link": (
        "<includeonly>{{#ifexist:{{{page|}}}|[[{{{page}}}|{{{text|}}}]]|[{{{url}}} {{{text|}}}]}}"
        "</includeonly><noinclude>A link to a published Framings page, or to the API when it "
        "is not published here. Parameters: page, url, text.</noinclude>"
    ),
    "Framings withdrawn": (
        '<includeonly><div class="framings-withdrawn" style="border:1px solid #a2a9b1; '
        'border-left:4px solid #d33; background:#fee7e6; padding:0.5em 1em; margin:0 0 1em;">'
        "'''Withdrawn.''' This item was withdrawn from the Framings model; its history stays "
        "readable at its permanent URLs.</div></includeonly>"
        "<noinclude>The banner of a withdrawn Framings page.</noinclude>"
    ),
}
