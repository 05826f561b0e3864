"""Edit the synonym and transliteration table used to expand search queries.

    manage.py search_synonyms list [--grep WORD]
    manage.py search_synonyms add 나이키 nike "nike shoes"     # one group (merged with any group
                                                                #   already holding one of them)
    manage.py search_synonyms remove 조깅화                    # the word leaves its groups
    manage.py search_synonyms delete 12                        # a whole group, by id

Words are stored lower-case. Search processes reload the table within five minutes
(``selectors.expand.REFRESH_SECONDS``); this process forgets its copy at once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tangerine.search.models import SynonymGroup
from tangerine.search.selectors import expand

MAX_WORD_LENGTH = 64


def _clean(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        w = " ".join(word.split()).lower()
        if not w:
            continue
        if len(w) > MAX_WORD_LENGTH:
            raise CommandError(f"{word!r}: at most {MAX_WORD_LENGTH} characters.")
        if w not in out:
            out.append(w)
    return out


class Command(BaseCommand):
    help = "List, add or remove synonym/transliteration groups for search query expansion."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="Print the groups.")
        listing.add_argument("--grep", default="", help="Only groups with a word containing this.")
        add = sub.add_parser("add", help="Add words as one group (merging overlapping groups).")
        add.add_argument("words", nargs="+")
        add.add_argument("--note", default="")
        remove = sub.add_parser("remove", help="Remove words from every group.")
        remove.add_argument("words", nargs="+")
        delete = sub.add_parser("delete", help="Delete groups by id.")
        delete.add_argument("ids", nargs="+", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            needle = options["grep"].lower()
            for group in SynonymGroup.objects.order_by("pk"):
                if needle and not any(needle in w for w in group.terms):
                    continue
                self.stdout.write(f"{group.pk}\t{' | '.join(group.terms)}")
            return
        with transaction.atomic():
            if action == "add":
                self._add(_clean(options["words"]), options["note"])
            elif action == "remove":
                self._remove(_clean(options["words"]))
            else:
                deleted, _ = SynonymGroup.objects.filter(pk__in=options["ids"]).delete()
                self.stdout.write(f"deleted {deleted} group(s)")
        expand.forget()

    def _add(self, words: list[str], note: str) -> None:
        if len(words) < 2:
            raise CommandError("A group needs at least two different words.")
        overlapping = [g for g in SynonymGroup.objects.order_by("pk") if set(g.terms) & set(words)]
        if overlapping:
            keep = overlapping[0]
            merged = list(dict.fromkeys([w for g in overlapping for w in g.terms] + words))
            keep.terms = merged
            if note:
                keep.note = note
            keep.save()
            SynonymGroup.objects.filter(pk__in=[g.pk for g in overlapping[1:]]).delete()
            self.stdout.write(f"{keep.pk}\t{' | '.join(merged)}")
            return
        group = SynonymGroup.objects.create(terms=words, note=note)
        self.stdout.write(f"{group.pk}\t{' | '.join(words)}")

    def _remove(self, words: list[str]) -> None:
        changed = 0
        for group in SynonymGroup.objects.order_by("pk"):
            kept = [w for w in group.terms if w not in words]
            if kept == group.terms:
                continue
            changed += 1
            if len(kept) < 2:
                group.delete()
            else:
                group.terms = kept
                group.save()
        if not changed:
            raise CommandError(f"No group holds {', '.join(words)}.")
        self.stdout.write(f"changed {changed} group(s)")
