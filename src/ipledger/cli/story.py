"""Printing the demo's trade-mark story (``ipledger demo`` and ``scripts/register_and_transfer.py``)."""

from __future__ import annotations

from ipledger.cli import render
from ipledger.sdk import IPLedger
from ipledger.sdk.demo import StoryResult


def print_story(ipl: IPLedger, story: StoryResult) -> None:
    """Prints the application request, the right, its chain of title, its legal events and its license tree."""
    con = render.console()
    if story.request_id:
        con.print(render.request_table(ipl.request(story.request_id), story.names))
    con.print(render.right_table(ipl.right(story.right_id), story.names))
    history = ipl.history(story.right_id)
    con.print(render.title_table(history, story.names))
    con.print(render.status_table(history))
    if story.license_tree:
        con.print(render.license_tree_table(story.license_tree, story.names))
